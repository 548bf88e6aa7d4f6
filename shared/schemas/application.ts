/**
 * The disclosure application (OGI Regulations art. 29) as accepted by
 * `POST /api/v1/applications` and the portal's HTML form (SPEC §3.1 step 1, §7).
 *
 * Decisions:
 * - Strings are trimmed; empty strings and `null` count as absent.
 * - Unknown keys are ignored (SPEC §7: more optional fields may be added later).
 * - Fields of the other applicant type are ignored, not rejected: the no-JavaScript form
 *   posts both groups, and an organisation's `idNumber` must not block its application.
 *   They are dropped from the parsed value, so nothing unvalidated is stored.
 * - `email` is required when `deliveryForm` or `deliveryWay` is `email`, and the two must
 *   agree: `deliveryForm: "email"` ⇔ `deliveryWay: "email"` (paper or disks cannot be
 *   emailed; an email cannot be mailed or picked up).
 * - A postal code is six digits whose first two (the province) lie in 01–86; `000000` and
 *   prefixes no province has are refused.
 * - An organisation may name a contact person (`contactPerson`); the portal form asks for it.
 * - `declaration` (申请人承诺) and `consent` (同意处理个人信息) are optional booleans in the API
 *   and recorded as given; the portal form requires both to be ticked (`{ form: true }`).
 */
import * as z from "zod";
import type { FieldError, ValidationErrorBody } from "./errors";
import { validationErrorBody, zodIssuesToFields } from "./errors";
import type { IsoDate } from "../domain/identity";
import { creditCodeProblem, isEmail, isPhone, residentIdProblem } from "../domain/identity";
import { checkText } from "../domain/text";

export type { FieldError, ValidationErrorBody } from "./errors";

// ---------------------------------------------------------------------------
// Enumerations with their zh-CN labels

export const applicantTypes = ["natural_person", "organization"] as const;
export type ApplicantType = (typeof applicantTypes)[number];
export const applicantTypeLabels: Record<ApplicantType, string> = {
  natural_person: "自然人",
  organization: "法人或其他组织",
};

/** Column order of the annual report's applications table (SPEC §5.1). */
export const organizationKinds = ["commercial", "research", "public_welfare", "legal_service", "other"] as const;
export type OrganizationKind = (typeof organizationKinds)[number];
export const organizationKindLabels: Record<OrganizationKind, string> = {
  commercial: "商业企业",
  research: "科研机构",
  public_welfare: "社会公益组织",
  legal_service: "法律服务机构",
  other: "其他",
};

export const idTypes = ["resident_id", "passport", "other"] as const;
export type IdType = (typeof idTypes)[number];
export const idTypeLabels: Record<IdType, string> = {
  resident_id: "居民身份证",
  passport: "护照",
  other: "其他有效身份证件",
};

export const deliveryForms = ["paper", "email", "disk"] as const;
export type DeliveryForm = (typeof deliveryForms)[number];
export const deliveryFormLabels: Record<DeliveryForm, string> = {
  paper: "纸质",
  email: "电子邮件",
  disk: "光盘/U盘",
};

export const deliveryWays = ["mail", "email", "pickup"] as const;
export type DeliveryWay = (typeof deliveryWays)[number];
export const deliveryWayLabels: Record<DeliveryWay, string> = {
  mail: "邮寄",
  email: "电子邮件",
  pickup: "自行领取",
};

// ---------------------------------------------------------------------------
// Fields: order (form order, error order), zh-CN labels, maximum lengths — all in one place

export const applicationFields = [
  "agencyCode",
  "applicantType",
  "name",
  "idType",
  "idNumber",
  "organizationKind",
  "creditCode",
  "legalRepresentative",
  "contactPerson",
  "phone",
  "email",
  "address",
  "postalCode",
  "description",
  "documentTitle",
  "documentNumber",
  "purpose",
  "deliveryForm",
  "deliveryWay",
] as const;
export type ApplicationField = (typeof applicationFields)[number];

export const applicationFieldLabels: Record<ApplicationField, string> = {
  agencyCode: "受理机关",
  applicantType: "申请人类型",
  name: "申请人姓名",
  idType: "身份证件类型",
  idNumber: "身份证件号码",
  organizationKind: "组织类别",
  creditCode: "统一社会信用代码",
  legalRepresentative: "法定代表人",
  contactPerson: "联系人姓名",
  phone: "联系电话",
  email: "电子邮箱",
  address: "通信地址",
  postalCode: "邮政编码",
  description: "所需政府信息的内容描述",
  documentTitle: "文件名称",
  documentNumber: "文号",
  purpose: "申请用途",
  deliveryForm: "信息的提供形式",
  deliveryWay: "信息的获取方式",
};

/** Maximum lengths in characters (UTF-16 units; every common Chinese character counts one). */
export const applicationFieldMaxLengths: Record<ApplicationField, number> = {
  agencyCode: 15,
  applicantType: 20,
  name: 100,
  idType: 20,
  idNumber: 40,
  organizationKind: 20,
  creditCode: 18,
  legalRepresentative: 50,
  contactPerson: 50,
  phone: 30,
  email: 254,
  address: 200,
  postalCode: 6,
  description: 2000,
  documentTitle: 200,
  documentNumber: 100,
  purpose: 500,
  deliveryForm: 20,
  deliveryWay: 20,
};

/** Fields typed on several lines (textareas): they may hold line breaks and tabs, no other field may. */
export const applicationMultilineFields: readonly ApplicationField[] = ["description", "purpose"];

/** Fields answered by choosing an option (messages say 请选择 rather than 请填写). */
export const applicationChoiceFields: readonly ApplicationField[] = [
  "agencyCode",
  "applicantType",
  "idType",
  "organizationKind",
  "deliveryForm",
  "deliveryWay",
];

const personFields: readonly ApplicationField[] = ["idType", "idNumber"];
const organizationFields: readonly ApplicationField[] = ["organizationKind", "creditCode", "legalRepresentative", "contactPerson"];

/**
 * The applicant's confirmations (ticked boxes on the form, optional booleans in the API):
 * recorded with the application when given.
 */
export const applicationConfirmations = ["declaration", "consent"] as const;
export type ApplicationConfirmation = (typeof applicationConfirmations)[number];
export const applicationConfirmationLabels: Record<ApplicationConfirmation, string> = {
  declaration: "申请人承诺",
  consent: "个人信息处理同意",
};
/** What ticking each box says (the form's label text). */
export const applicationConfirmationTexts: Record<ApplicationConfirmation, string> = {
  declaration: "本人（本单位）承诺：所填信息真实、准确、完整，如有虚假，由申请人承担相应的法律责任。",
  consent: "同意本机关为办理本申请处理所填个人信息（仅用于办理本申请及依法归档）。",
};

/** Every path an application error can name, in form order (errors are listed in this order). */
const errorOrder: readonly string[] = [...applicationFields, "attachments", ...applicationConfirmations];

/** Why a postal code is refused, or undefined when it is a possible Chinese postal code. */
export function postalCodeProblem(code: string): "format" | "region" | undefined {
  if (!/^\d{6}$/.test(code)) return "format";
  const province = Number(code.slice(0, 2));
  return province >= 1 && province <= 86 ? undefined : "region";
}

// ---------------------------------------------------------------------------
// Schemas

const label = applicationFieldLabels;
const max = applicationFieldMaxLengths;

function issue(code: string, message?: string) {
  return message === undefined ? { params: { code } } : { params: { code, message } };
}

/** The text rule of shared/domain/text.ts as a zod check, naming the field (before any other check of it). */
const cleanText = (field: ApplicationField) =>
  z
    .string()
    .trim()
    .superRefine((v, ctx) => {
      const problem = checkText(label[field], v, { multiline: applicationMultilineFields.includes(field) });
      if (problem) ctx.addIssue({ code: "custom", ...issue(problem.code, problem.message) });
    });

const requiredText = (field: ApplicationField) => cleanText(field).min(1).max(max[field]);
const optionalText = (field: ApplicationField) => cleanText(field).max(max[field]).optional();

const commonShape = {
  agencyCode: z
    .string()
    .trim()
    .min(1)
    .regex(/^\d{15}$/)
    .describe("受理机关的政府信息公开目录机关代码（15位数字），如 001008010002002"),
  applicantType: z.enum(applicantTypes).describe("申请人类型：natural_person 自然人；organization 法人或其他组织"),
  name: requiredText("name").describe("自然人姓名，或法人、其他组织的名称"),
  phone: requiredText("phone")
    .refine(isPhone, issue("invalid_format"))
    .describe("联系电话：手机号码，或带区号的固定电话（可带分机号）"),
  email: cleanText("email").max(max.email).refine(isEmail, issue("invalid_format")).meta({ format: "email" }).optional()
    .describe("电子邮箱；提供形式或获取方式为电子邮件时必填"),
  address: requiredText("address").describe("通信地址"),
  postalCode: cleanText("postalCode")
    .min(1)
    .superRefine((v, ctx) => {
      const problem = postalCodeProblem(v);
      if (problem === "format") ctx.addIssue({ code: "custom", ...issue("invalid_format", `${label.postalCode}格式不正确`) });
      else if (problem === "region") ctx.addIssue({ code: "custom", ...issue("invalid_format", `${label.postalCode}不正确：邮政编码为6位数字，前两位应在 01 至 86 之间`) });
    })
    .meta({ pattern: "^(0[1-9]|[1-7][0-9]|8[0-6])[0-9]{4}$" })
    .describe("邮政编码（6位数字，前两位为 01 至 86）"),
  description: requiredText("description").describe("所需政府信息的名称、文号或者便于查询的其他特征性描述"),
  documentTitle: optionalText("documentTitle").describe("所需信息的文件名称（选填）"),
  documentNumber: optionalText("documentNumber").describe("所需信息的文号（选填）"),
  purpose: optionalText("purpose").describe("申请用途（选填）"),
  deliveryForm: z.enum(deliveryForms).describe("信息的提供形式：paper 纸质；email 电子邮件；disk 光盘/U盘"),
  deliveryWay: z.enum(deliveryWays).describe("信息的获取方式：mail 邮寄；email 电子邮件；pickup 自行领取；须与提供形式一致（电子邮件 ⇔ 电子邮件）"),
  declaration: z.boolean().optional().describe("申请人承诺所填信息真实并承担相应责任（选填；网上申请表中必须勾选）"),
  consent: z.boolean().optional().describe("同意本机关为办理申请处理所填个人信息（选填；网上申请表中必须勾选）"),
};

const personShape = {
  idType: z.enum(idTypes).describe("身份证件类型：resident_id 居民身份证；passport 护照；other 其他有效身份证件"),
  idNumber: requiredText("idNumber").describe("身份证件号码；居民身份证按 GB 11643 校验"),
};

const organizationShape = {
  organizationKind: z
    .enum(organizationKinds)
    .describe("组织类别：commercial 商业企业；research 科研机构；public_welfare 社会公益组织；legal_service 法律服务机构；other 其他"),
  creditCode: cleanText("creditCode")
    .min(1)
    .max(max.creditCode)
    .superRefine((v, ctx) => {
      const problem = creditCodeProblem(v);
      if (problem === "format")
        ctx.addIssue({ code: "custom", ...issue("invalid_format", `${label.creditCode}应为18位数字或大写字母（不含I、O、Z、S、V）`) });
      else if (problem === "checksum") ctx.addIssue({ code: "custom", ...issue("invalid_checksum") });
    })
    .transform((v) => v.toUpperCase())
    .meta({ pattern: "^[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{18}$" })
    .describe("统一社会信用代码（18位，按 GB 32100 校验）"),
  legalRepresentative: requiredText("legalRepresentative").describe("法定代表人或者主要负责人姓名"),
  contactPerson: optionalText("contactPerson").describe("联系人姓名（选填；网上申请表中法人或其他组织必填）"),
};

const commonSchema = z.object(commonShape);
const personSchema = z.object(personShape);
const organizationSchema = z.object(organizationShape);

type CrossFieldInput = {
  applicantType?: unknown;
  idType?: unknown;
  idNumber?: unknown;
  email?: unknown;
  deliveryForm?: unknown;
  deliveryWay?: unknown;
};

/**
 * Rules spanning fields. `today` bounds the birth date in a resident ID number; without it
 * (the exported schema, which has no clock) only format, region and checksum are checked.
 */
function crossFieldErrors(v: CrossFieldInput, today?: IsoDate): Array<{ path: ApplicationField; code: string; message: string }> {
  const out: Array<{ path: ApplicationField; code: string; message: string }> = [];
  if (v.applicantType === "natural_person" && typeof v.idNumber === "string") {
    const id = v.idNumber.trim();
    if (v.idType === "resident_id") {
      const problem = residentIdProblem(id, today);
      const messages = {
        format: `${label.idNumber}格式不正确，居民身份证号码应为18位`,
        region: `${label.idNumber}格式不正确，前两位地区代码无效`,
        birth_date: `${label.idNumber}中的出生日期无效`,
        checksum: `${label.idNumber}校验位不正确`,
      } as const;
      if (problem) out.push({ path: "idNumber", code: problem === "checksum" ? "invalid_checksum" : "invalid_format", message: messages[problem] });
    } else if (v.idType === "passport" && !/^[A-Za-z0-9]{5,20}$/.test(id)) {
      out.push({ path: "idNumber", code: "invalid_format", message: `${label.idNumber}格式不正确，护照号码应为5至20位字母或数字` });
    }
  }
  const wantsEmail = v.deliveryForm === "email" || v.deliveryWay === "email";
  if (wantsEmail && (v.email === undefined || (typeof v.email === "string" && v.email.trim() === ""))) {
    out.push({ path: "email", code: "required", message: `选择以电子邮件提供或获取信息时，请填写${label.email}` });
  }
  if (v.deliveryWay === "email" && (v.deliveryForm === "paper" || v.deliveryForm === "disk")) {
    out.push({
      path: "deliveryWay",
      code: "inconsistent",
      message: `${label.deliveryWay}与${label.deliveryForm}不一致：纸质或光盘/U盘不能通过电子邮件获取，请选择邮寄或自行领取，或将${label.deliveryForm}改为电子邮件`,
    });
  }
  if (v.deliveryForm === "email" && (v.deliveryWay === "mail" || v.deliveryWay === "pickup")) {
    out.push({
      path: "deliveryWay",
      code: "inconsistent",
      message: `${label.deliveryWay}与${label.deliveryForm}不一致：以电子邮件提供的信息只能通过电子邮件获取，不能邮寄或自行领取`,
    });
  }
  return out;
}

/**
 * The whole body as one zod schema (used for the OpenAPI file and by callers that want a
 * single schema). It checks everything except "birth date not in the future", which needs
 * today's date: handlers call `parseApplicationInput`, which adds it and Chinese field errors.
 */
export const applicationInputSchema = z
  .discriminatedUnion("applicantType", [
    commonSchema.extend({ applicantType: z.literal("natural_person"), ...personShape }),
    commonSchema.extend({ applicantType: z.literal("organization"), ...organizationShape }),
  ])
  .superRefine((value, ctx) => {
    for (const e of crossFieldErrors(value)) ctx.addIssue({ code: "custom", path: [e.path], ...issue(e.code, e.message) });
  });

export type ApplicationInput = z.output<typeof applicationInputSchema>;
export type PersonApplicationInput = Extract<ApplicationInput, { applicantType: "natural_person" }>;
export type OrganizationApplicationInput = Extract<ApplicationInput, { applicantType: "organization" }>;

// ---------------------------------------------------------------------------
// Parsing

export type ParseResult = { ok: true; value: ApplicationInput } | { ok: false; error: ValidationErrorBody };

const knownFields = new Set<string>([...applicationFields, ...applicationConfirmations]);

/** Trims strings and drops empty strings and nulls of known fields; unknown keys are dropped. */
function normalise(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(body)) {
    if (!knownFields.has(key) || raw === null || raw === undefined) continue;
    const value = typeof raw === "string" ? raw.trim() : raw;
    if (value === "") continue;
    out[key] = value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export interface ParseOptions {
  /**
   * The portal form's own requirements on top of the API's: both confirmations ticked,
   * and an organisation's contact person given.
   */
  form?: boolean;
}

/** What the portal form requires beyond the API (see `ParseOptions.form`). */
function formErrors(v: Record<string, unknown>): FieldError[] {
  const out: FieldError[] = [];
  if (v.applicantType === "organization" && v.contactPerson === undefined) {
    out.push({ path: "contactPerson", code: "required", message: `请填写${label.contactPerson}` });
  }
  if (v.declaration !== true) out.push({ path: "declaration", code: "required", message: `请阅读并勾选${applicationConfirmationLabels.declaration}` });
  if (v.consent !== true) out.push({ path: "consent", code: "required", message: "请勾选同意本机关为办理申请处理所填个人信息" });
  return out;
}

/**
 * Validates a request body (already JSON-parsed) or a form post (via `fromFormFields`).
 * Reports every field at fault at once, in form order, each with a machine code and a
 * Chinese message naming the field.
 */
export function parseApplicationInput(body: unknown, today: IsoDate, options: ParseOptions = {}): ParseResult {
  if (!isPlainObject(body)) {
    return {
      ok: false,
      error: validationErrorBody([{ path: "", code: "wrong_type", message: "请求体应为 JSON 对象" }], "请求体应为 JSON 对象"),
    };
  }
  const input = normalise(body);
  const mapping = { labels: { ...applicationFieldLabels, ...applicationConfirmationLabels }, choiceFields: applicationChoiceFields };

  const common = commonSchema.safeParse(input, { reportInput: true });
  const fields: FieldError[] = common.success ? [] : zodIssuesToFields(common.error.issues, mapping);

  let specific: Record<string, unknown> | undefined;
  if (input.applicantType === "natural_person" || input.applicantType === "organization") {
    const schema = input.applicantType === "natural_person" ? personSchema : organizationSchema;
    const result = schema.safeParse(input, { reportInput: true });
    if (result.success) specific = result.data;
    else fields.push(...zodIssuesToFields(result.error.issues, mapping));
  }

  const taken = new Set(fields.map((f) => f.path));
  for (const e of [...crossFieldErrors(input, today), ...(options.form ? formErrors(input) : [])]) {
    if (!taken.has(e.path)) {
      fields.push(e);
      taken.add(e.path);
    }
  }

  if (fields.length > 0 || !common.success || specific === undefined) {
    fields.sort((a, b) => errorOrderOf(a.path) - errorOrderOf(b.path));
    return { ok: false, error: validationErrorBody(fields, `申请信息有 ${fields.length} 处需要修改`) };
  }

  const value = { ...common.data, ...specific } as Record<string, unknown>;
  if (value.applicantType === "natural_person" && value.idType === "resident_id") {
    value.idNumber = String(value.idNumber).toUpperCase(); // a lowercase x is the same check character
  }
  return { ok: true, value: value as ApplicationInput };
}

/** Position of an error's path in form order (`attachments.1` sorts with `attachments`). */
export function errorOrderOf(path: string): number {
  const i = errorOrder.indexOf(path.split(".")[0] ?? "");
  return i < 0 ? errorOrder.length : i;
}

/** The fields of the other applicant type, which the form shows but the application ignores. */
export function ignoredFieldsFor(applicantType: ApplicantType): readonly ApplicationField[] {
  return applicantType === "natural_person" ? organizationFields : personFields;
}

/** The input a form post maps onto: text fields as strings, ticked boxes as `true`. */
export type FormApplicationInput = Partial<Record<ApplicationField, string>> & Partial<Record<ApplicationConfirmation, true>>;

/**
 * Maps a form post (urlencoded or multipart fields) onto the API's input: known fields
 * only, trimmed, empty strings left out (an empty form field means "not given"); a
 * ticked confirmation box becomes `true`, an unticked one (not posted) stays absent.
 */
export function fromFormFields(fields: Record<string, string>): FormApplicationInput {
  const out: FormApplicationInput = {};
  for (const name of applicationFields) {
    const raw = fields[name];
    if (typeof raw !== "string") continue;
    const value = raw.trim();
    if (value !== "") out[name] = value;
  }
  for (const name of applicationConfirmations) {
    const raw = fields[name]?.trim();
    if (raw === "yes" || raw === "on" || raw === "true") out[name] = true;
  }
  return out;
}
