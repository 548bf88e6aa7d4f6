/**
 * The WeChat official account as publishing sees it. The calls mirror the official-account
 * publishing API (草稿箱 draft/add → 发布 freepublish/submit → freepublish/get), so a real
 * adapter maps one to one; the recorder (shared/adapters/wechat-recorder.ts) keeps each
 * outgoing post in the files bucket instead.
 */

export interface WechatArticle {
  title: string;
  author?: string;
  /** 摘要, at most 120 characters */
  digest: string;
  /** the article's HTML */
  content: string;
  /** 阅读原文: the catalogue page */
  contentSourceUrl: string;
}

export type WechatPublishState = "publishing" | "published" | "failed";

export interface WechatChannel {
  /** draft/add → media_id */
  addDraft(agencyCode: string, article: WechatArticle): Promise<{ mediaId: string }>;
  /** freepublish/submit → publish_id */
  publish(agencyCode: string, mediaId: string): Promise<{ publishId: string }>;
  /** freepublish/get */
  status(agencyCode: string, publishId: string): Promise<{ state: WechatPublishState; articleUrl?: string; reason?: string }>;
}
