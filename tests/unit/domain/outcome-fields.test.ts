import { describe, expect, it } from "vitest";
import { validateOutcomeFields } from "../../../shared/app/outcome-fields";
import { applicationWorkflow } from "../../../shared/domain/workflows";
import type { OutcomeDefinition } from "../../../shared/domain/workflows";

const registered = applicationWorkflow.steps.register!.outcomes[0]!;
const withChoice: OutcomeDefinition = {
  outcome: "decide",
  label: "决定",
  fields: [
    { name: "result", type: "choice", label: "答复类型", required: true, choices: [{ value: "disclosed", label: "予以公开" }] },
    { name: "reason", type: "text", label: "理由", required: false, maxLength: 5 },
  ],
};

describe("outcome fields", () => {
  it("accepts optional fields left empty and trims values", () => {
    expect(validateOutcomeFields(registered, { outcome: "registered", receivedOn: " 2026-03-02 ", note: "" })).toEqual({
      values: { receivedOn: "2026-03-02" },
      errors: [],
    });
  });

  it("names every field at fault in Chinese", () => {
    const { errors } = validateOutcomeFields(registered, { receivedOn: "2026-02-30", note: 5 });
    expect(errors).toEqual([
      { path: "receivedOn", code: "invalid_format", message: expect.stringContaining("收到申请日期") },
      { path: "note", code: "wrong_type", message: expect.stringContaining("登记备注") },
    ]);
    const choice = validateOutcomeFields(withChoice, { result: "maybe", reason: "太长的理由文字" });
    expect(choice.errors.map((e) => [e.path, e.code])).toEqual([
      ["result", "invalid_choice"],
      ["reason", "too_long"],
    ]);
    expect(validateOutcomeFields(withChoice, {}).errors).toEqual([{ path: "result", code: "required", message: "请填写答复类型" }]);
  });
});
