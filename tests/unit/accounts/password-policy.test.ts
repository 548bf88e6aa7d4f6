import { describe, expect, it } from "vitest";
import { passwordExpired, passwordProblems, type PasswordContext } from "../../../shared/domain/accounts/password-policy";
import { isCommonPassword } from "../../../shared/domain/accounts/common-passwords";
import { DEMO_PASSWORD } from "../../../shared/app/seed-demo";

/** Seed 政务公开网站安全防护制度 第二条, rule by rule, with the Chinese reason a person reads. */
const person: PasswordContext = { username: "wangmin", displayName: "办公室 王敏", phone: "0576-84123456", agencyName: "黄岩区行政服务中心", agencyCode: "001008010002002" };
const rules = (password: string, context = person) => passwordProblems(password, context).map((p) => p.rule);
const reasons = (password: string, context = person) => passwordProblems(password, context).map((p) => p.message);

describe("password policy (seed 第二条)", () => {
  it("accepts 8+ characters with a letter, a digit and a special symbol that say nothing of the person or agency", () => {
    expect(rules("Qz7#mPv2")).toEqual([]);
    expect(rules("tall-Cedar-41")).toEqual([]);
    expect(rules(DEMO_PASSWORD, { username: "office", displayName: "办公室 王敏" })).toEqual([]);
  });

  it("refuses fewer than 8 characters, saying how many it has", () => {
    expect(rules("Qz7#mPv")).toEqual(["too_short"]);
    expect(reasons("Qz7#mPv")).toEqual(["密码至少 8 位，现为 7 位"]);
  });

  it("refuses a password without a special symbol, a letter or a digit, each with its own reason", () => {
    expect(reasons("Qz7kmPv2x")).toEqual(["密码须含有特殊符号（如 # @ ! % & * 等）"]);
    expect(reasons("Qz#kmPv#x")).toEqual(["密码须含有数字"]);
    expect(reasons("40#71%26&9")).toEqual(["密码须含有字母"]);
    expect(rules("qz kmp7#x")).toContain("whitespace");
  });

  it("refuses the username, the name (whole or a part of it), the phone, the agency's name and its code, in any case", () => {
    expect(reasons("WangMin#2026")).toEqual(["密码不能包含用户名"]);
    expect(reasons("王敏#2026ab")).toEqual(["密码不能包含本人姓名"]);
    expect(reasons("x84123456#Q")).toEqual(["密码不能包含本人电话号码"]);
    expect(reasons("黄岩区行政服务中心#7a")).toEqual(["密码不能包含本机关名称"]);
    expect(reasons("a#001008010002002")).toEqual(["密码不能包含本机关的机关代码"]);
    // a Latin name too, and a mobile number
    expect(rules("Zhang-Wei#99", { username: "zw01", displayName: "Zhang Wei" })).toEqual(["contains_name"]);
    expect(rules("k13800001111#", { username: "zw01", phone: "13800001111" })).toEqual(["contains_phone"]);
  });

  it("refuses the shipped common passwords, also written with substitutions or wrapped in digits and symbols", () => {
    for (const weak of ["P@ssw0rd", "Passw0rd!", "Admin@123", "1qaz@WSX", "Abc@123456", "Password123!", "#Welcome2026", "Qwer1234!", "Huawei@123"]) {
      expect(rules(weak, { username: "zw01" }), weak).toContain("common_password");
      expect(reasons(weak, { username: "zw01" }), weak).toContain("该密码属于常见弱密码，容易被猜中，请另选");
    }
    expect(isCommonPassword("Qz7#mPv2")).toBe(false);
  });

  it("gives every broken rule at once", () => {
    expect(rules("wangmin")).toEqual(["too_short", "no_digit", "no_symbol", "contains_username"]);
    expect(reasons("wangmin").join("；")).toBe("密码至少 8 位，现为 7 位；密码须含有数字；密码须含有特殊符号（如 # @ ! % & * 等）；密码不能包含用户名");
  });

  it("expires a password after the configured days (0: never); an unknown change date is due", () => {
    const now = new Date("2026-12-02T01:00:00Z");
    expect(passwordExpired("2026-09-03T01:00:01Z", now, 90)).toBe(false);
    expect(passwordExpired("2026-09-03T01:00:00Z", now, 90)).toBe(true);
    expect(passwordExpired("2020-01-01T00:00:00Z", now, 0)).toBe(false);
    expect(passwordExpired(undefined, now, 90)).toBe(true);
  });
});
