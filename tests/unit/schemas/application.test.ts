import { describe, expect, it } from "vitest";
import { creditCodeCheckChar, residentIdCheckChar } from "../../../shared/domain/identity";
import {
  applicationFieldLabels,
  applicationFieldMaxLengths,
  applicationFields,
  applicationConfirmationTexts,
  applicationInputSchema,
  deliveryFormLabels,
  deliveryWayLabels,
  fromFormFields,
  organizationKindLabels,
  parseApplicationInput,
  postalCodeProblem,
} from "../../../shared/schemas/application";
import type { FieldError } from "../../../shared/schemas/errors";

const today = "2026-11-27";
const residentId = (body17: string) => body17 + residentIdCheckChar(body17);
const idNumber = residentId("33010219900307123");
const creditCode = (() => {
  const first17 = "91331003MA2ABCDE1";
  return first17 + creditCodeCheckChar(first17);
})();

const person = {
  agencyCode: "001008010002002",
  applicantType: "natural_person",
  name: "张三",
  idType: "resident_id",
  idNumber,
  phone: "13812345678",
  email: "zhangsan@example.com",
  address: "浙江省台州市黄岩区东城街道1号",
  postalCode: "318020",
  description: "2024年黄岩区行政服务中心政务公开工作要点",
  deliveryForm: "email",
  deliveryWay: "email",
};

const organization = {
  agencyCode: "001008010002002",
  applicantType: "organization",
  organizationKind: "research",
  name: "台州某研究院",
  creditCode,
  legalRepresentative: "李四",
  phone: "0576-84123456",
  address: "浙江省台州市黄岩区",
  postalCode: "318020",
  description: "2023年度行政许可办理情况统计",
  deliveryForm: "paper",
  deliveryWay: "mail",
};

function errorsOf(body: unknown): FieldError[] {
  const result = parseApplicationInput(body, today);
  if (result.ok) throw new Error("expected a validation error");
  expect(result.error.code).toBe("VALIDATION_FAILED");
  return result.error.fields;
}

function errorsOfForm(body: unknown): FieldError[] {
  const result = parseApplicationInput(body, today, { form: true });
  if (result.ok) throw new Error("expected a validation error");
  return result.error.fields;
}

function errorAt(body: unknown, path: string): FieldError {
  const found = errorsOf(body).find((f) => f.path === path);
  if (!found) throw new Error(`no error at ${path}`);
  return found;
}

describe("parseApplicationInput", () => {
  it("accepts a natural person's application", () => {
    // Act
    const result = parseApplicationInput(person, today);
    // Assess
    expect(result).toEqual({ ok: true, value: person });
  });

  it("accepts an organisation's application", () => {
    // Act
    const result = parseApplicationInput(organization, today);
    // Assess
    expect(result).toEqual({ ok: true, value: organization });
  });

  it("trims strings and treats empty strings and null as absent", () => {
    // Prepare
    const body = { ...person, name: "  张三 ", documentTitle: "   ", purpose: null, postalCode: " 318020 " };
    // Act
    const result = parseApplicationInput(body, today);
    // Assess
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.name).toBe("张三");
    expect(result.value.postalCode).toBe("318020");
    expect("documentTitle" in result.value).toBe(false);
    expect("purpose" in result.value).toBe(false);
  });

  it("ignores unknown keys and the other applicant type's fields", () => {
    // Prepare
    const body = { ...person, futureField: "x", organizationKind: "nonsense", creditCode: "bad", legalRepresentative: 5 };
    // Act
    const result = parseApplicationInput(body, today);
    // Assess
    expect(result).toEqual({ ok: true, value: person });
  });

  it("keeps optional description fields within their limits", () => {
    // Prepare
    const body = { ...person, documentTitle: "关于印发某办法的通知", documentNumber: "黄政办发〔2024〕1号", purpose: "科研" };
    // Act
    const result = parseApplicationInput(body, today);
    // Assess
    expect(result.ok && result.value).toMatchObject({ documentNumber: "黄政办发〔2024〕1号", purpose: "科研" });
  });

  it("reports every missing required field with a Chinese message naming it", () => {
    // Act
    const fields = errorsOf({});
    // Assess
    expect(fields.map((f) => f.path)).toEqual([
      "agencyCode",
      "applicantType",
      "name",
      "phone",
      "address",
      "postalCode",
      "description",
      "deliveryForm",
      "deliveryWay",
    ]);
    for (const f of fields) {
      expect(f.code).toBe("required");
      expect(f.message).toContain(applicationFieldLabels[f.path as keyof typeof applicationFieldLabels]);
    }
    expect(fields.find((f) => f.path === "name")?.message).toBe("请填写申请人姓名");
    expect(fields.find((f) => f.path === "deliveryForm")?.message).toBe("请选择信息的提供形式");
  });

  it("asks a person for ID type and number, and an organisation for kind, credit code and representative", () => {
    // Prepare
    const { idType: _t, idNumber: _n, ...personWithoutId } = person;
    const { organizationKind: _k, creditCode: _c, legalRepresentative: _l, ...orgWithoutIds } = organization;
    // Act
    const personErrors = errorsOf(personWithoutId);
    const orgErrors = errorsOf(orgWithoutIds);
    // Assess
    expect(personErrors.map((f) => [f.path, f.code])).toEqual([
      ["idType", "required"],
      ["idNumber", "required"],
    ]);
    expect(orgErrors.map((f) => [f.path, f.code])).toEqual([
      ["organizationKind", "required"],
      ["creditCode", "required"],
      ["legalRepresentative", "required"],
    ]);
  });

  it("rejects a resident ID number with a wrong check character", () => {
    // Prepare
    const wrong = idNumber.slice(0, 17) + (idNumber[17] === "0" ? "1" : "0");
    // Act
    const error = errorAt({ ...person, idNumber: wrong }, "idNumber");
    // Assess
    expect(error).toEqual({ path: "idNumber", code: "invalid_checksum", message: "身份证件号码校验位不正确" });
  });

  it("rejects a resident ID number whose birth date is after today", () => {
    // Prepare
    const unborn = residentId("33010220261128001");
    // Act
    const error = errorAt({ ...person, idNumber: unborn }, "idNumber");
    // Assess
    expect(error.code).toBe("invalid_format");
    expect(error.message).toBe("身份证件号码中的出生日期无效");
  });

  it("normalises a lowercase x in a resident ID number", () => {
    // Prepare
    let id = "";
    for (let seq = 0; seq < 1000 && !id.endsWith("X"); seq++) id = residentId(`3301021985061${String(seq).padStart(4, "0")}`.slice(0, 17));
    // Act
    const result = parseApplicationInput({ ...person, idNumber: id.toLowerCase() }, today);
    // Assess
    expect(id.endsWith("X")).toBe(true);
    expect(result.ok && result.value.applicantType === "natural_person" && result.value.idNumber).toBe(id);
  });

  it("checks passport numbers as 5–20 letters or digits, other documents by length only", () => {
    // Act / Assess
    expect(parseApplicationInput({ ...person, idType: "passport", idNumber: "E12345678" }, today).ok).toBe(true);
    expect(errorAt({ ...person, idType: "passport", idNumber: "E12" }, "idNumber").code).toBe("invalid_format");
    expect(errorAt({ ...person, idType: "passport", idNumber: "E1234-5678" }, "idNumber").code).toBe("invalid_format");
    expect(parseApplicationInput({ ...person, idType: "other", idNumber: "港澳居民来往内地通行证H123" }, today).ok).toBe(true);
    expect(errorAt({ ...person, idType: "other", idNumber: "1".repeat(41) }, "idNumber").code).toBe("too_long");
  });

  it("rejects an invalid unified social credit code", () => {
    // Prepare
    const wrong = creditCode.slice(0, 17) + (creditCode[17] === "0" ? "1" : "0");
    // Act / Assess
    expect(errorAt({ ...organization, creditCode: wrong }, "creditCode")).toEqual({
      path: "creditCode",
      code: "invalid_checksum",
      message: "统一社会信用代码校验位不正确",
    });
    expect(errorAt({ ...organization, creditCode: "91331003MA2ABCDEIO" }, "creditCode").code).toBe("invalid_format");
  });

  it("rejects malformed phone numbers, postal codes, email and agency codes", () => {
    // Act
    const fields = errorsOf({ ...person, phone: "12345", postalCode: "31802", email: "zhangsan@", agencyCode: "0010080100" });
    // Assess
    expect(fields).toEqual([
      { path: "agencyCode", code: "invalid_format", message: "受理机关格式不正确" },
      { path: "phone", code: "invalid_format", message: "联系电话格式不正确" },
      { path: "email", code: "invalid_format", message: "电子邮箱格式不正确" },
      { path: "postalCode", code: "invalid_format", message: "邮政编码格式不正确" },
    ]);
  });

  it("accepts a landline with area code and extension", () => {
    expect(parseApplicationInput({ ...person, phone: "0576-84123456-802" }, today).ok).toBe(true);
  });

  it("rejects over-long text, naming the limit", () => {
    // Prepare
    const limit = applicationFieldMaxLengths.description;
    // Act
    const atLimit = parseApplicationInput({ ...person, description: "文".repeat(limit) }, today);
    const error = errorAt({ ...person, description: "文".repeat(limit + 1), purpose: "用".repeat(501) }, "description");
    // Assess
    expect(atLimit.ok).toBe(true);
    expect(error).toEqual({ path: "description", code: "too_long", message: `所需政府信息的内容描述不能超过 ${limit} 个字` });
    expect(errorAt({ ...person, purpose: "用".repeat(501) }, "purpose").code).toBe("too_long");
    expect(errorAt({ ...person, name: "名".repeat(101) }, "name").code).toBe("too_long");
  });

  it("rejects wrong types as wrong_type and unknown options as invalid_choice", () => {
    // Act
    const fields = errorsOf({ ...person, name: 42, phone: ["13812345678"], applicantType: "robot", deliveryWay: "pigeon" });
    // Assess
    expect(fields).toEqual([
      { path: "applicantType", code: "invalid_choice", message: "申请人类型的选项无效" },
      { path: "name", code: "wrong_type", message: "申请人姓名的数据类型不正确，应为文本" },
      { path: "phone", code: "wrong_type", message: "联系电话的数据类型不正确，应为文本" },
      { path: "deliveryWay", code: "invalid_choice", message: "信息的获取方式的选项无效" },
    ]);
  });

  it("requires an email address when information is to be provided or delivered by email", () => {
    // Prepare
    const { email: _e, ...withoutEmail } = person;
    // Act
    const byForm = errorAt({ ...withoutEmail, deliveryForm: "email", deliveryWay: "pickup" }, "email");
    const byWay = errorAt({ ...withoutEmail, deliveryForm: "email", deliveryWay: "email" }, "email");
    const paperByMail = parseApplicationInput({ ...withoutEmail, deliveryForm: "paper", deliveryWay: "mail" }, today);
    // Assess
    expect(byForm.code).toBe("required");
    expect(byForm.message).toContain("电子邮箱");
    expect(byWay.code).toBe("required");
    expect(paperByMail.ok).toBe(true);
  });

  it("rejects emailing paper or disks", () => {
    const error = errorAt({ ...person, deliveryForm: "paper", deliveryWay: "email" }, "deliveryWay");
    expect(error.code).toBe("inconsistent");
  });

  it("accepts every delivery form with a way that can carry it, and refuses the contradictions on deliveryWay, naming both fields", () => {
    // Prepare
    const fits: Array<[string, string]> = [
      ["paper", "mail"],
      ["paper", "pickup"],
      ["disk", "mail"],
      ["disk", "pickup"],
      ["email", "email"],
    ];
    const contradictions: Array<[string, string]> = [
      ["paper", "email"],
      ["disk", "email"],
      ["email", "mail"],
      ["email", "pickup"],
    ];
    // Act / Assess
    for (const [deliveryForm, deliveryWay] of fits) expect(parseApplicationInput({ ...person, deliveryForm, deliveryWay }, today).ok).toBe(true);
    for (const [deliveryForm, deliveryWay] of contradictions) {
      const error = errorAt({ ...person, deliveryForm, deliveryWay }, "deliveryWay");
      expect(error.code).toBe("inconsistent");
      expect(error.message).toContain("信息的获取方式");
      expect(error.message).toContain("信息的提供形式");
      expect(applicationInputSchema.safeParse({ ...person, deliveryForm, deliveryWay }).success).toBe(false);
    }
    expect(errorAt({ ...person, deliveryForm: "email", deliveryWay: "mail" }, "deliveryWay").message).toMatch(/不能邮寄或自行领取/);
    expect(errorAt({ ...person, deliveryForm: "disk", deliveryWay: "email" }, "deliveryWay").message).toMatch(/不能通过电子邮件获取/);
  });

  it("refuses postal codes no Chinese province has: 000000, prefixes 00 and 87–99", () => {
    // Act / Assess
    for (const code of ["000000", "001234", "870000", "900000", "999077"]) {
      expect(postalCodeProblem(code)).toBe("region");
      expect(errorAt({ ...person, postalCode: code }, "postalCode")).toEqual({
        path: "postalCode",
        code: "invalid_format",
        message: "邮政编码不正确：邮政编码为6位数字，前两位应在 01 至 86 之间",
      });
      expect(applicationInputSchema.safeParse({ ...person, postalCode: code }).success).toBe(false);
    }
    // Hohhot, Beijing, Huangyan, Lhasa, Nyingchi
    for (const code of ["010010", "100000", "318020", "850000", "860000"]) expect(parseApplicationInput({ ...person, postalCode: code }, today).ok).toBe(true);
    for (const code of ["31802", "3180200", "31802a", "３１８０２０"]) expect(postalCodeProblem(code)).toBe("format");
  });

  it("takes an organisation's contact person (optional in the API) and ignores it for a person", () => {
    // Act
    const withContact = parseApplicationInput({ ...organization, contactPerson: " 王五 " }, today);
    const withoutContact = parseApplicationInput(organization, today);
    const personWithContact = parseApplicationInput({ ...person, contactPerson: "王五" }, today);
    // Assess
    expect(withContact).toEqual({ ok: true, value: { ...organization, contactPerson: "王五" } });
    expect(withoutContact).toEqual({ ok: true, value: organization });
    expect(personWithContact).toEqual({ ok: true, value: person });
    expect(errorAt({ ...organization, contactPerson: "名".repeat(51) }, "contactPerson")).toEqual({ path: "contactPerson", code: "too_long", message: "联系人姓名不能超过 50 个字" });
  });

  it("records the declaration and consent when the API sends them, as booleans only", () => {
    // Act
    const given = parseApplicationInput({ ...person, declaration: true, consent: false }, today);
    const wrong = errorsOf({ ...person, declaration: "yes", consent: 1 });
    // Assess
    expect(given).toEqual({ ok: true, value: { ...person, declaration: true, consent: false } });
    expect(wrong).toEqual([
      { path: "declaration", code: "wrong_type", message: "申请人承诺的数据类型不正确，应为布尔值" },
      { path: "consent", code: "wrong_type", message: "个人信息处理同意的数据类型不正确，应为布尔值" },
    ]);
  });

  it("on the portal form requires both boxes ticked and an organisation's contact person, listed in form order", () => {
    // Act
    const personErrors = errorsOfForm(person);
    const orgErrors = errorsOfForm({ ...organization, declaration: true, consent: false });
    const complete = parseApplicationInput({ ...organization, contactPerson: "王五", declaration: true, consent: true }, today, { form: true });
    // Assess
    expect(personErrors.map((f) => [f.path, f.code])).toEqual([
      ["declaration", "required"],
      ["consent", "required"],
    ]);
    expect(personErrors.every((f) => /勾选/.test(f.message))).toBe(true);
    expect(orgErrors).toEqual([
      { path: "contactPerson", code: "required", message: "请填写联系人姓名" },
      { path: "consent", code: "required", message: "请勾选同意本机关为办理申请处理所填个人信息" },
    ]);
    expect(complete).toEqual({ ok: true, value: { ...organization, contactPerson: "王五", declaration: true, consent: true } });
    // the other fields' errors come first, all at once
    expect(errorsOfForm({ ...person, phone: "1", postalCode: "000000" }).map((f) => f.path)).toEqual(["phone", "postalCode", "declaration", "consent"]);
  });

  it("answers a body that is not an object with a body-level error", () => {
    for (const body of [null, "text", 42, [person]]) {
      const fields = errorsOf(body);
      expect(fields).toEqual([{ path: "", code: "wrong_type", message: "请求体应为 JSON 对象" }]);
    }
  });

  it("gives exactly one error per field", () => {
    const fields = errorsOf({ ...person, phone: "1".repeat(40) });
    expect(fields.filter((f) => f.path === "phone")).toHaveLength(1);
  });
});

describe("parseApplicationInput: characters no text may hold (issue 7 item 2)", () => {
  const bad = { NUL: "\u0000", "a C1 control": "\u009b", "a bidi override": "\u202e", "a bidi isolate": "\u2067", "a lone surrogate": "\udbff", "U+FFFD": "\ufffd" };

  it.each(Object.entries(bad))("refuses %s in every text field of both applicant types, naming the field, code invalid_character", (_what, ch) => {
    const textFields = { ...person, name: `张${ch}三`, idNumber: `${idNumber}${ch}`, phone: `138${ch}12345678`, email: `zhang${ch}@example.com`, address: `东城街道${ch}1号`, description: `要点${ch}`, documentTitle: `文件${ch}`, documentNumber: `文号${ch}`, purpose: `用途${ch}` };
    const fields = errorsOf(textFields);
    for (const path of ["name", "idNumber", "phone", "email", "address", "description", "documentTitle", "documentNumber", "purpose"]) {
      const label = applicationFieldLabels[path as keyof typeof applicationFieldLabels];
      expect(fields.find((f) => f.path === path), path).toEqual({ path, code: "invalid_character", message: expect.stringMatching(new RegExp(`^${label}含有不允许的字符：`)) });
    }
    const org = errorsOf({ ...organization, creditCode: `${creditCode.slice(0, 17)}${ch}`, legalRepresentative: `李${ch}四`, contactPerson: `王${ch}` });
    for (const path of ["creditCode", "legalRepresentative", "contactPerson"]) expect(org.find((f) => f.path === path)?.code, path).toBe("invalid_character");
  });

  it("takes line breaks and tabs in the description and purpose only", () => {
    expect(parseApplicationInput({ ...person, description: "第一项\r\n第二项\t附表", purpose: "科研\n教学" }, today).ok).toBe(true);
    for (const path of ["name", "address", "documentTitle", "phone"]) {
      const field = errorAt({ ...person, documentTitle: "标题", [path]: `${(person as Record<string, string>)[path] ?? "标题"}\n第二行` }, path);
      expect(field.code, path).toBe("invalid_character");
      expect(field.message).toContain("此项只能填写一行");
    }
  });

  it("reports the character before the length: one error per field", () => {
    const fields = errorsOf({ ...person, name: `${"张".repeat(200)}\u0000` });
    expect(fields.filter((f) => f.path === "name")).toEqual([expect.objectContaining({ code: "invalid_character" })]);
  });

  it("refuses the same through a form post", () => {
    const fields = errorsOfForm(fromFormFields({ ...person, name: "张\u202e三", declaration: "yes", consent: "yes" }));
    expect(fields).toEqual([expect.objectContaining({ path: "name", code: "invalid_character" })]);
  });

  it("the exported schema refuses them too", () => {
    expect(applicationInputSchema.safeParse({ ...person, address: "路\u0000" }).success).toBe(false);
  });

  it("takes emoji and characters beyond the BMP (a surrogate pair is one character)", () => {
    expect(parseApplicationInput({ ...person, name: "𠀀𠀁", description: "申请公开😀" }, today).ok).toBe(true);
  });
});

describe("labels and form mapping", () => {
  it("has a Chinese label and a maximum length for every field", () => {
    for (const field of applicationFields) {
      expect(applicationFieldLabels[field]).toMatch(/\p{Script=Han}/u);
      expect(applicationFieldMaxLengths[field]).toBeGreaterThan(0);
    }
  });

  it("labels the enumerations as the annual report and the form print them", () => {
    expect(Object.values(organizationKindLabels)).toEqual(["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]);
    expect(deliveryFormLabels).toEqual({ paper: "纸质", email: "电子邮件", disk: "光盘/U盘" });
    expect(deliveryWayLabels).toEqual({ mail: "邮寄", email: "电子邮件", pickup: "自行领取" });
  });

  it("maps a form post onto the API input, dropping empty fields and form-only keys", () => {
    // Prepare: what a browser posts for an organisation, person fields left blank
    const posted: Record<string, string> = {
      ...Object.fromEntries(Object.entries(organization).map(([k, v]) => [k, ` ${v} `])),
      idType: "",
      idNumber: "",
      email: "",
      csrfToken: "abc",
    };
    // Act
    const input = fromFormFields(posted);
    const result = parseApplicationInput(input, today);
    // Assess
    expect(input).not.toHaveProperty("csrfToken");
    expect(input).not.toHaveProperty("idNumber");
    expect(input).not.toHaveProperty("email");
    expect(result).toEqual({ ok: true, value: organization });
  });
});

describe("form confirmations", () => {
  it("maps ticked boxes to true and leaves unticked (or odd) ones out", () => {
    expect(fromFormFields({ declaration: "yes", consent: "on" })).toEqual({ declaration: true, consent: true });
    expect(fromFormFields({ declaration: "no", consent: "" })).toEqual({});
  });

  it("has a statement for each box that says what the applicant confirms", () => {
    expect(applicationConfirmationTexts.declaration).toMatch(/真实/);
    expect(applicationConfirmationTexts.declaration).toMatch(/责任/);
    expect(applicationConfirmationTexts.consent).toMatch(/同意本机关为办理本申请处理所填个人信息/);
  });
});

describe("applicationInputSchema", () => {
  it("accepts both applicant types and rejects checksum errors like parseApplicationInput", () => {
    expect(applicationInputSchema.safeParse(person).success).toBe(true);
    expect(applicationInputSchema.safeParse(organization).success).toBe(true);
    const wrong = idNumber.slice(0, 17) + (idNumber[17] === "0" ? "1" : "0");
    expect(applicationInputSchema.safeParse({ ...person, idNumber: wrong }).success).toBe(false);
  });
});
