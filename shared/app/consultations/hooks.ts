import { onOutcomePrepared } from "../engine/complete-task";
import { consultationPath } from "../../domain/workflows/consultation/data";

/**
 * What the consultation's pure transitions cannot know: the portal's address, for the
 * feedback mails and the drafting explanation (seed 第十二条: 应附公开网址).
 */
const withUrl = async (deps: Parameters<Parameters<typeof onOutcomePrepared>[3]>[0], task: { caseId: string }) => ({ url: `${deps.config.publicBaseUrl}${consultationPath(task.caseId)}` });

onOutcomePrepared("consultation", "dispose_comments", "publish_summary", withUrl);
onOutcomePrepared("consultation", "submit_for_review", "submit", withUrl);
