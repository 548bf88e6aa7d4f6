import type { ReplyType } from "../../report/cells";

/** zh-CN names of reply types and grounds, for forms, case pages and letters. */
export const replyTypeLabels: Record<ReplyType, string> = {
  already_published: "已主动公开（告知获取方式和途径）",
  disclosed: "予以公开",
  partly_disclosed: "部分公开（区分处理）",
  not_disclosed: "不予公开",
  cannot_provide: "无法提供",
  other_agency: "非本机关负责公开（告知负责机关及联系方式）",
  not_processed: "不予处理",
  special_law: "按有关法律、行政法规规定办理（如工商、不动产登记资料）",
  withdrawn: "视为放弃申请（逾期未补正）",
  fee_unpaid: "逾期未缴纳信息处理费",
};

export const groundLabels: Record<string, string> = {
  state_secret: "属于国家秘密",
  prohibited_by_law: "其他法律行政法规禁止公开",
  three_safeties_one_stability: "危及“三安全一稳定”",
  third_party_rights: "保护第三方合法权益",
  internal_affairs: "属于三类内部事务信息",
  process_information: "属于四类过程性信息",
  law_enforcement_file: "属于行政执法案卷",
  administrative_inquiry: "属于行政查询事项",
  not_held: "本机关不掌握相关政府信息",
  needs_creation: "没有现成信息需要另行制作",
  unclear_after_correction: "补正后申请内容仍不明确",
  petition_complaint: "信访举报投诉类申请",
  repeated: "重复申请",
  publication: "要求提供公开出版物",
  excessive: "无正当理由大量反复申请",
  reconfirmation: "要求行政机关确认或重新出具已获取信息",
};
