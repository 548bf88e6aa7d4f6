import type { GroundedReplyType, ReplyType, replyGrounds } from "../report/cells";
import type { Provision } from "./law";
import { OGI, ogi } from "./law";

/** What a letter says for one ground: its name, the finding in the letter, and the provisions it rests on. */
export interface GroundText {
  /** the annual-report name, e.g. 属于国家秘密 */
  label: string;
  /** completes "经审查，您申请获取的政府信息……", or the whole finding for grounds that are not about the information */
  finding: string;
  /** the provisions relied on, most specific first */
  provisions: Provision[];
  /** a basis that is not an article of the Regulations (guidance, other rules), cited after the provisions */
  otherBasis?: string[];
}

type Grounds = { [R in GroundedReplyType]: Record<(typeof replyGrounds)[R][number], GroundText> };

const grounds: Grounds = {
  not_disclosed: {
    state_secret: {
      label: "属于国家秘密",
      finding: "属于依法确定为国家秘密的政府信息",
      provisions: [ogi.art14, ogi.art36item3],
    },
    prohibited_by_law: {
      label: "其他法律行政法规禁止公开",
      finding: "属于法律、行政法规禁止公开的政府信息",
      provisions: [ogi.art14, ogi.art36item3],
    },
    three_safeties_one_stability: {
      label: "危及“三安全一稳定”",
      finding: "公开后可能危及国家安全、公共安全、经济安全、社会稳定",
      provisions: [ogi.art14, ogi.art36item3],
    },
    third_party_rights: {
      label: "保护第三方合法权益",
      finding: "涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害",
      provisions: [ogi.art15, ogi.art32, ogi.art36item3],
    },
    internal_affairs: {
      label: "属于三类内部事务信息",
      finding: "属于行政机关的内部事务信息（人事管理、后勤管理、内部工作流程等方面的信息）",
      provisions: [ogi.art16para1, ogi.art36item3],
    },
    process_information: {
      label: "属于四类过程性信息",
      finding: "属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息，且法律、法规、规章未规定该信息应当公开",
      provisions: [ogi.art16para2, ogi.art36item3],
    },
    law_enforcement_file: {
      label: "属于行政执法案卷",
      finding: "属于行政执法案卷信息，且法律、法规、规章未规定该信息应当公开",
      provisions: [ogi.art16para2, ogi.art36item3],
    },
    administrative_inquiry: {
      label: "属于行政查询事项",
      finding:
        "属于特定行政管理领域的业务查询事项（行政查询事项），其法律依据、办理程序、法律后果等与政府信息公开行为存在根本性差别，应当依照相应的法律、法规规定办理查询",
      provisions: [ogi.art36item3],
      otherBasis: [
        "国务院办公厅政府信息与政务公开办公室函（国办公开办函〔2016〕206号）明确，特定行政管理领域的业务查询事项，其法律依据、办理程序、法律后果等，与政府信息公开行为存在根本性差别，当事人依据政府信息公开条例申请这类业务查询的，可告知其依据相应的法律法规规定办理。",
      ],
    },
  },
  cannot_provide: {
    not_held: {
      label: "本机关不掌握相关政府信息",
      finding: "经检索，本机关没有制作或者获取您所申请公开的信息，该政府信息不存在",
      provisions: [ogi.art36item4],
    },
    needs_creation: {
      label: "没有现成信息需要另行制作",
      finding: "本机关没有现成的政府信息，提供该信息需要本机关对现有政府信息进行加工、分析或者另行制作，本机关不予提供",
      provisions: [ogi.art38],
    },
    unclear_after_correction: {
      label: "补正后申请内容仍不明确",
      finding: "经本机关告知补正，补正后的申请内容仍不明确，未能提供所需政府信息的名称、文号或者便于本机关查询的其他特征性描述，本机关无法确定您所需的政府信息，无法提供",
      provisions: [ogi.art30, ogi.art29para2item2],
    },
  },
  not_processed: {
    petition_complaint: {
      label: "信访举报投诉类申请",
      finding: "您以政府信息公开申请的形式提出的事项，实质是信访、投诉、举报等活动，本机关不作为政府信息公开申请处理，您可以通过相应渠道提出",
      provisions: [ogi.art39para1],
    },
    repeated: {
      label: "重复申请",
      finding: "本机关已就您提出的政府信息公开申请作出答复，您再次申请公开相同政府信息，本机关不予重复处理",
      provisions: [ogi.art36item6],
    },
    publication: {
      label: "要求提供公开出版物",
      finding: "您申请获取的是政府公报、报刊、书籍等公开出版物，本机关不作为政府信息公开申请处理，您可以通过公开出版物的发行途径获取",
      provisions: [ogi.art39para2],
    },
    excessive: {
      label: "无正当理由大量反复申请",
      finding: "您申请公开政府信息的数量、频次明显超过合理范围，本机关已要求您说明理由，经审查认为申请理由不合理，本机关不予处理",
      provisions: [ogi.art35],
    },
    reconfirmation: {
      label: "要求行政机关确认或重新出具已获取信息",
      finding:
        "您要求本机关对已经获取的信息予以确认或者重新出具，不属于申请获取政府信息，本机关不作为政府信息公开申请处理",
      // no article names this case; the Regulations concern obtaining information the agency holds (art. 2, 27)
      provisions: [ogi.art2, ogi.art27],
    },
  },
};

/** The letter text of a ground; throws for a ground that does not belong to the reply type. */
export function groundText(replyType: ReplyType, ground: string): GroundText {
  const table = (grounds as Partial<Record<ReplyType, Record<string, GroundText>>>)[replyType];
  const text = table && Object.hasOwn(table, ground) ? table[ground] : undefined;
  if (!text) throw new Error(`ground ${ground} does not belong to ${replyType}`);
  return text;
}

/** Chinese name and legal basis of a ground, e.g. 属于国家秘密（《中华人民共和国政府信息公开条例》第十四条）. */
export function groundLabel(replyType: ReplyType, ground: string): string {
  const g = groundText(replyType, ground);
  const guidance = g.otherBasis ? "；国办公开办函〔2016〕206号" : "";
  return `${g.label}（${OGI}${g.provisions.map((x) => x.cite).join("、")}${guidance}）`;
}
