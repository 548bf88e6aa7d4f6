/**
 * The result cells of the annual report's applications table (SPEC §5.1, format
 * 国办公开办函〔2021〕30号) and the one cell each reply type and ground counts in
 * (SPEC §7.1). Every closed application counts in exactly one cell.
 */

export const resultCells = {
  "1": "（一）予以公开",
  "2": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
  "3.1": "1.属于国家秘密",
  "3.2": "2.其他法律行政法规禁止公开",
  "3.3": "3.危及“三安全一稳定”",
  "3.4": "4.保护第三方合法权益",
  "3.5": "5.属于三类内部事务信息",
  "3.6": "6.属于四类过程性信息",
  "3.7": "7.属于行政执法案卷",
  "3.8": "8.属于行政查询事项",
  "4.1": "1.本机关不掌握相关政府信息",
  "4.2": "2.没有现成信息需要另行制作",
  "4.3": "3.补正后申请内容仍不明确",
  "5.1": "1.信访举报投诉类申请",
  "5.2": "2.重复申请",
  "5.3": "3.要求提供公开出版物",
  "5.4": "4.无正当理由大量反复申请",
  "5.5": "5.要求行政机关确认或重新出具已获取信息",
  "6.1": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
  "6.2": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
  "6.3": "3.其他",
} as const;

export type ResultCell = keyof typeof resultCells;

/** The group heading a cell sits under, e.g. （三）不予公开 for 3.1. */
export const resultGroups: Record<string, string> = {
  "1": "（一）予以公开",
  "2": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
  "3": "（三）不予公开",
  "4": "（四）无法提供",
  "5": "（五）不予处理",
  "6": "（六）其他处理",
};

export const replyTypes = [
  "already_published",
  "disclosed",
  "partly_disclosed",
  "not_disclosed",
  "cannot_provide",
  "other_agency",
  "not_processed",
  "special_law",
  "withdrawn",
  "fee_unpaid",
] as const;
export type ReplyType = (typeof replyTypes)[number];

/** Grounds in the order of their cells: the n-th ground is sub-item n. */
export const replyGrounds = {
  not_disclosed: [
    "state_secret",
    "prohibited_by_law",
    "three_safeties_one_stability",
    "third_party_rights",
    "internal_affairs",
    "process_information",
    "law_enforcement_file",
    "administrative_inquiry",
  ],
  cannot_provide: ["not_held", "needs_creation", "unclear_after_correction"],
  not_processed: ["petition_complaint", "repeated", "publication", "excessive", "reconfirmation"],
} as const satisfies Partial<Record<ReplyType, readonly string[]>>;

export type GroundedReplyType = keyof typeof replyGrounds;

export function needsGround(replyType: string): replyType is GroundedReplyType {
  return replyType in replyGrounds;
}

/** The cell a reply counts in; throws for a ground that does not belong to the reply type. */
export function resultCellOf(replyType: ReplyType, ground?: string): ResultCell {
  switch (replyType) {
    case "already_published":
    case "disclosed":
      return "1";
    case "partly_disclosed":
      return "2";
    case "other_agency":
      return "4.1";
    case "special_law":
      return "6.3";
    case "withdrawn":
      return "6.1";
    case "fee_unpaid":
      return "6.2";
    case "not_disclosed":
    case "cannot_provide":
    case "not_processed": {
      const grounds = replyGrounds[replyType] as readonly string[];
      const i = ground === undefined ? -1 : grounds.indexOf(ground);
      if (i < 0) throw new Error(`ground ${ground ?? "(none)"} does not belong to ${replyType}`);
      const group = replyType === "not_disclosed" ? 3 : replyType === "cannot_provide" ? 4 : 5;
      return `${group}.${i + 1}` as ResultCell;
    }
  }
}

/** Full label of a cell with its group, e.g. （三）不予公开 · 1.属于国家秘密. */
export function resultCellLabel(cell: ResultCell): string {
  const group = cell.split(".")[0]!;
  return cell.includes(".") ? `${resultGroups[group]} · ${resultCells[cell]}` : resultCells[cell];
}
