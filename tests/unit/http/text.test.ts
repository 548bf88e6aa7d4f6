import { describe, expect, it } from "vitest";
import { checkText, findTextProblems, textProblem, textProblemMessage, wellFormed, withoutTextProblems } from "../../../shared/domain/text";

/** The one text rule (shared/domain/text.ts) every text field of the system is checked with. */
describe("text hygiene", () => {
  it("takes Chinese, ASCII, full-width punctuation, emoji and characters beyond the BMP", () => {
    for (const ok of ["张三", "台州市黄岩区劳动北路1号", "国办发明电〔2025〕7号", "“引号”（括号）", "😀", "𠀀𠀁", "a b", ""]) expect(textProblem(ok), ok).toBeUndefined();
  });

  it.each([
    ["\u0000", "control", "U+0000"],
    ["\u0008", "control", "U+0008"],
    ["\u001b", "control", "U+001B"],
    ["\u007f", "control", "U+007F"],
    ["\u0085", "control", "U+0085"],
    ["\u009f", "control", "U+009F"],
    ["\u202a", "bidi", "U+202A"],
    ["\u202e", "bidi", "U+202E"],
    ["\u2066", "bidi", "U+2066"],
    ["\u2069", "bidi", "U+2069"],
    ["\ud800", "lone_surrogate", "U+D800"],
    ["\udc00", "lone_surrogate", "U+DC00"],
    ["\ufffd", "replacement", "U+FFFD"],
  ])("refuses %j anywhere (%s)", (ch, kind, codePoint) => {
    expect(textProblem(`前${ch}后`, { multiline: true })).toEqual({ kind, codePoint, index: 1 });
  });

  it("a surrogate pair in the wrong order is two lone halves", () => {
    expect(textProblem("\udc00\ud800")?.kind).toBe("lone_surrogate");
    expect(textProblem("x\ud83d")).toEqual({ kind: "lone_surrogate", codePoint: "U+D83D", index: 1 });
  });

  it("tab, CR and LF only in multi-line text", () => {
    for (const ch of ["\t", "\r", "\n"]) {
      expect(textProblem(`a${ch}b`)?.kind).toBe("line_break");
      expect(textProblem(`a${ch}b`, { multiline: true })).toBeUndefined();
    }
  });

  it("names the field and the character in Chinese, with the machine code invalid_character", () => {
    expect(checkText("申请人姓名", "张\u0000三")).toEqual({ code: "invalid_character", message: "申请人姓名含有不允许的字符：不可见的控制字符（U+0000），请删除后重新提交" });
    expect(checkText("通信地址", "路\u202e1号")?.message).toBe("通信地址含有不允许的字符：改变文字显示方向的控制字符（U+202E），请删除后重新提交");
    expect(checkText("联系电话", "138\n0013")?.message).toContain("此项只能填写一行");
    expect(textProblemMessage("说明", textProblem("\ufffd")!)).toContain("乱码");
    expect(checkText("x", "fine")).toBeUndefined();
  });

  it("finds every string of a JSON value that breaks the rule, with its path, but not keys", () => {
    const value = { name: "a\u0000", items: ["ok", "b\u202e"], nested: { deep: ["\ud800"] }, "\u0000key": "fine", n: 1, multi: "a\nb" };
    expect(findTextProblems(value).map((p) => [p.path, p.problem.codePoint])).toEqual([
      ["name", "U+0000"],
      ["items.1", "U+202E"],
      ["nested.deep.0", "U+D800"],
    ]);
    expect(findTextProblems("\u0007")).toEqual([{ path: "", problem: { kind: "control", codePoint: "U+0007", index: 0 } }]);
    expect(findTextProblems(Array.from({ length: 50 }, () => "\u0000"), 3)).toHaveLength(3);
  });

  it("walks a deeply nested value without exhausting the stack", () => {
    let deep: unknown = "\u0000";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findTextProblems(deep)).toHaveLength(1);
  });

  it("cleans a name the system keeps but nobody typed, and makes any string encodable", () => {
    expect(withoutTextProblems("证明\u202egnp.exe")).toBe("证明gnp.exe");
    expect(withoutTextProblems("a\u0000b\ud800c\n")).toBe("abc");
    expect(wellFormed("a\ud800b\udfffc😀")).toBe("a\ufffdb\ufffdc😀");
    expect(() => encodeURIComponent(wellFormed("\ud800"))).not.toThrow();
  });
});
