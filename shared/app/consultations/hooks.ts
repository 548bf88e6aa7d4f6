import { onOutcomePrepared } from "../engine/complete-task";
import { ValidationError, type FieldError } from "../errors";
import { checkedAttachments } from "../publishing/submit";
import type { StoredFile } from "../../domain/workflows/publication/data";
import { consultationPath } from "../../domain/workflows/consultation/data";

/**
 * What the consultation's pure transitions cannot know: the portal's address, for the
 * feedback mails and the drafting explanation (seed 第十二条: 应附公开网址).
 */
const withUrl = async (deps: Parameters<Parameters<typeof onOutcomePrepared>[3]>[0], task: { caseId: string }) => ({ url: `${deps.config.publicBaseUrl}${consultationPath(task.caseId)}` });

onOutcomePrepared("consultation", "dispose_comments", "publish_summary", withUrl);
onOutcomePrepared("consultation", "submit_for_review", "submit", withUrl);

// the records of 第八条–第十条 carry their materials (minutes, opinions, sign-in sheets): stored before the engine sees them
for (const step of ["expert_consultation", "hearing", "association_opinions"]) {
  onOutcomePrepared("consultation", step, "recorded", async (deps, task, input) => {
    const errors: FieldError[] = [];
    const files = checkedAttachments(input.attachments, "attachments", errors);
    if (errors.length) throw new ValidationError("VALIDATION_FAILED", "附件不符合要求，请按提示修改", errors);
    const attachments: StoredFile[] = [];
    for (const [i, f] of files.entries()) {
      const key = `attachments/${task.caseId}/${task.step}-${task.round}-${i + 1}.${f.extension}`;
      await deps.files.put(key, f.bytes, f.contentType);
      attachments.push({ key, name: f.name, contentType: f.contentType, bytes: f.bytes.byteLength });
    }
    return { attachments };
  });
}
