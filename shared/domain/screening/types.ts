/**
 * Content screening (seed 政务信息公开发布及审核制度 第七条, 保密审查制度): what is
 * found in a text before review and again before publishing, shown to every reviewer
 * beside the text with the passage marked.
 */

/** The ten prohibited categories of seed 第七条, in its order. */
export const prohibitedCategories = [
  { code: "constitution", label: "反对宪法所确定的基本原则" },
  { code: "state_security", label: "危害国家安全、泄露国家秘密" },
  { code: "national_honour", label: "损害国家荣誉和利益" },
  { code: "ethnic_unity", label: "煽动民族仇恨、破坏民族团结" },
  { code: "religion", label: "破坏国家宗教政策、宣扬邪教和封建迷信" },
  { code: "rumour", label: "散布谣言、扰乱社会秩序" },
  { code: "obscenity_violence", label: "淫秽、色情、赌博、暴力、凶杀、恐怖或者教唆犯罪" },
  { code: "defamation", label: "侮辱或者诽谤他人" },
  { code: "privacy", label: "涉及个人隐私" },
  { code: "other_prohibited", label: "法律、行政法规禁止的其他内容" },
] as const;

export type ProhibitedCategory = (typeof prohibitedCategories)[number]["code"];

export type FindingKind =
  | "resident_id"
  | "mobile"
  | "landline"
  | "bank_card"
  | "email"
  | "credit_code"
  | "classification_mark"
  | "word";

export interface Finding {
  /** stable for the same passage at the same place of the same source (overrides refer to it) */
  id: string;
  kind: FindingKind;
  category: ProhibitedCategory;
  /** zh-CN, e.g. 居民身份证号码 */
  label: string;
  /** where: `title`, `body` or `attachment:<file name>` */
  source: string;
  /** UTF-16 offsets of the passage in the source's text */
  start: number;
  end: number;
  passage: string;
}

export interface ScreeningReport {
  findings: Finding[];
  /** attachments whose text could not be read: flagged, never passed */
  unscreened: Array<{ source: string; reason: string }>;
  /** characters screened */
  chars: number;
}

/** An agency's screening settings, edited by the office in the console. */
export interface ScreeningSettings {
  /** words per prohibited category */
  wordLists: Partial<Record<ProhibitedCategory, string[]>>;
  /** flag unified social credit codes of individual businesses (个体工商户, 92…) */
  flagIndividualCreditCodes: boolean;
}

export const defaultScreeningSettings: ScreeningSettings = { wordLists: {}, flagIndividualCreditCodes: true };
