import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  creditCodeCharset,
  creditCodeCheckChar,
  creditCodeProblem,
  findPersonalData,
  isEmail,
  isLandlinePhone,
  isMobilePhone,
  isPhone,
  isPostalCode,
  isValidCreditCode,
  isValidResidentId,
  luhnValid,
  maskAddress,
  maskEmail,
  maskIdNumber,
  maskName,
  maskPhone,
  residentIdCheckChar,
  residentIdProblem,
} from "../../../shared/domain/identity";

/** A made-up resident ID: region + birth date + sequence, with the check character computed. */
function residentId(region: string, birth: string, seq: string): string {
  const body = `${region}${birth}${seq}`;
  return body + residentIdCheckChar(body);
}

/** A made-up credit code from its first 17 characters. */
function creditCode(first17: string): string {
  return first17 + creditCodeCheckChar(first17);
}

/** Appends the Luhn check digit to a digit string. */
function withLuhn(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error("unreachable");
}

const today = "2026-11-27";

describe("resident ID numbers (GB 11643)", () => {
  it("agrees with the worked examples printed in the standards", () => {
    // Prepare: the sample numbers from GB 11643-1999 and GB 32100-2015 themselves (not real people)
    // Act / Assess
    expect(residentIdCheckChar("11010519491231002")).toBe("X");
    expect(creditCodeCheckChar("91350100M000100Y4")).toBe("3");
  });

  it("accepts a constructed number and rejects every single-character change", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("330102", "330303", "110105", "440305", "510104"),
        fc.date({ min: new Date("1920-01-01T00:00:00Z"), max: new Date("2020-12-31T00:00:00Z"), noInvalidDate: true }),
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: 0, max: 16 }),
        fc.integer({ min: 1, max: 9 }),
        (region, birth, seq, position, delta) => {
          // Prepare
          const id = residentId(region, birth.toISOString().slice(0, 10).replaceAll("-", ""), String(seq).padStart(3, "0"));
          const changed = id.slice(0, position) + ((Number(id[position]) + delta) % 10) + id.slice(position + 1);
          // Act / Assess
          expect(isValidResidentId(id, today)).toBe(true);
          expect(isValidResidentId(changed, today)).toBe(false);
        },
      ),
    );
  });

  it("names the problem: format, region, birth date, checksum", () => {
    // Prepare
    const good = residentId("330102", "19900307", "123");
    const wrongCheck = good.slice(0, 17) + (good[17] === "0" ? "1" : "0");
    // Act / Assess
    expect(residentIdProblem(good, today)).toBeNull();
    expect(residentIdProblem("33010219900307123", today)).toBe("format");
    expect(residentIdProblem("3301021990030712AB", today)).toBe("format");
    expect(residentIdProblem(residentId("990102", "19900307", "123"), today)).toBe("region");
    expect(residentIdProblem(residentId("330102", "19900230", "123"), today)).toBe("birth_date");
    expect(residentIdProblem(residentId("330102", "18991231", "123"), today)).toBe("birth_date");
    expect(residentIdProblem(wrongCheck, today)).toBe("checksum");
  });

  it("rejects a birth date after today but accepts today itself", () => {
    // Prepare
    const bornTomorrow = residentId("330102", "20261128", "001");
    const bornToday = residentId("330102", "20261127", "001");
    // Act / Assess
    expect(residentIdProblem(bornTomorrow, today)).toBe("birth_date");
    expect(residentIdProblem(bornToday, today)).toBeNull();
    expect(residentIdProblem(bornTomorrow)).toBeNull(); // no today given: the scanner's case
  });

  it("accepts a lowercase x as the check character", () => {
    // Prepare: find a sequence whose check character is X
    let id = "";
    for (let seq = 0; seq < 1000 && !id.endsWith("X"); seq++) id = residentId("330102", "19850615", String(seq).padStart(3, "0"));
    // Act / Assess
    expect(id.endsWith("X")).toBe(true);
    expect(isValidResidentId(id.toLowerCase(), today)).toBe(true);
  });
});

describe("unified social credit codes (GB 32100)", () => {
  it("accepts constructed codes and rejects single-character changes", () => {
    const charArb = fc.constantFrom(...creditCodeCharset.split(""));
    fc.assert(
      fc.property(fc.array(charArb, { minLength: 17, maxLength: 17 }), fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 30 }), (chars, pos, delta) => {
        // Prepare
        const code = creditCode(chars.join(""));
        const replacement = creditCodeCharset[(creditCodeCharset.indexOf(code[pos]!) + delta) % 31]!;
        const changed = code.slice(0, pos) + replacement + code.slice(pos + 1);
        // Act / Assess
        expect(isValidCreditCode(code)).toBe(true);
        expect(isValidCreditCode(changed)).toBe(false);
      }),
    );
  });

  it("rejects the letters I, O, Z, S, V and wrong lengths as format errors", () => {
    // Prepare
    const good = creditCode("91331003MA2ABCDE1");
    // Act / Assess
    expect(creditCodeProblem(good)).toBeNull();
    for (const bad of ["I", "O", "Z", "S", "V"]) expect(creditCodeProblem(bad + good.slice(1))).toBe("format");
    expect(creditCodeProblem(good.slice(0, 17))).toBe("format");
    expect(creditCodeProblem(good.slice(0, 17) + (good[17] === "0" ? "1" : "0"))).toBe("checksum");
  });
});

describe("phone numbers, postal codes, email", () => {
  it("tells mobile and landline numbers from junk", () => {
    // Act / Assess
    expect(isMobilePhone("13812345678")).toBe(true);
    expect(isMobilePhone("19912345678")).toBe(true);
    expect(isMobilePhone("12812345678")).toBe(false);
    expect(isMobilePhone("1381234567")).toBe(false);
    expect(isLandlinePhone("0576-84123456")).toBe(true);
    expect(isLandlinePhone("057684123456")).toBe(true);
    expect(isLandlinePhone("010-1234567")).toBe(true);
    expect(isLandlinePhone("0576-84123456-802")).toBe(true);
    expect(isLandlinePhone("0576-84123456转802")).toBe(true);
    expect(isLandlinePhone("576-84123456")).toBe(false);
    expect(isPhone("abc")).toBe(false);
    expect(isPhone("13812345678")).toBe(true);
  });

  it("checks postal codes and email addresses", () => {
    expect(isPostalCode("318020")).toBe(true);
    expect(isPostalCode("31802")).toBe(false);
    expect(isPostalCode("31802a")).toBe(false);
    expect(isEmail("zhang.san@example.gov.cn")).toBe(true);
    expect(isEmail("zhang@")).toBe(false);
    expect(isEmail("a b@example.com")).toBe(false);
  });
});

describe("masking", () => {
  it("masks names, ID numbers, phones, email and addresses", () => {
    // Act / Assess
    expect(maskName("张三丰")).toBe("张*丰");
    expect(maskName("李四")).toBe("李*");
    expect(maskName("欧阳娜娜")).toBe("欧**娜");
    expect(maskName("王")).toBe("*");
    expect(maskIdNumber("33010219900307123X")).toBe("3301**********123X");
    expect(maskIdNumber("E12345678")).toBe("E******78");
    expect(maskPhone("13812345678")).toBe("138****5678");
    expect(maskPhone("0576-84123456")).toBe("0576-****3456");
    expect(maskEmail("zhangsan@example.com")).toBe("z***@example.com");
    expect(maskAddress("浙江省台州市黄岩区东城街道1号")).toBe("浙江省台州市****");
  });

  it("never leaves the middle of an ID number visible", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}[\dX]$/), (id) => {
        const masked = maskIdNumber(id);
        expect(masked).toHaveLength(18);
        expect(masked.slice(4, 14)).toBe("*".repeat(10));
      }),
    );
  });
});

describe("personal-data scanner", () => {
  it("finds resident IDs, mobile numbers and bank cards with their offsets", () => {
    // Prepare
    const id = residentId("330102", "19900307", "123");
    const card = withLuhn("622202123456789");
    const text = `申请人身份证号${id}，手机：13812345678；收款账户 ${card} 请核对。`;
    // Act
    const findings = findPersonalData(text);
    // Assess
    expect(findings.map((f) => f.kind)).toEqual(["resident_id", "mobile_phone", "bank_card"]);
    for (const f of findings) expect(text.slice(f.start, f.end)).toBe(f.text);
    expect(findings[0]!.masked).toBe(maskIdNumber(id));
    expect(findings[1]!.masked).toBe("138****5678");
    expect(findings[2]!.masked).not.toContain(card.slice(4, 12));
  });

  it("finds bank card numbers printed in groups of four", () => {
    // Prepare
    const card = withLuhn("621700000000000");
    const spaced = card.replace(/(\d{4})(?=\d)/g, "$1 ");
    // Act
    const findings = findPersonalData(`卡号：${spaced}。`);
    // Assess
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: "bank_card", text: spaced });
  });

  it("ignores numbers that fail their checks or are part of longer numbers", () => {
    // Prepare
    const id = residentId("330102", "19900307", "123");
    const badId = id.slice(0, 17) + (id[17] === "0" ? "1" : "0");
    const card = withLuhn("622202123456789");
    const badCard = card.slice(0, 15) + ((Number(card[15]) + 1) % 10);
    const text = `编号${badId}；流水号 9${"13812345678"}9；卡号 ${badCard}；文号 2024-157175。`;
    // Act / Assess
    expect(findPersonalData(text)).toEqual([]);
  });

  it("reports an 18-digit resident ID once, not also as a bank card", () => {
    // Prepare: search a Luhn-valid resident ID
    let id = "";
    for (let seq = 0; seq < 1000; seq++) {
      const candidate = residentId("330102", "19900307", String(seq).padStart(3, "0"));
      if (/^\d{18}$/.test(candidate) && luhnValid(candidate)) {
        id = candidate;
        break;
      }
    }
    // Act
    const findings = findPersonalData(`号码 ${id}`);
    // Assess
    expect(id).not.toBe("");
    expect(findings.map((f) => f.kind)).toEqual(["resident_id"]);
  });
});
