import { createHash } from "node:crypto";
import type { FileStore } from "../app/ports/files";
import type { WechatArticle, WechatChannel } from "../app/ports/channels";

/**
 * The WeChat channel where no official account is connected (the local stack, tests): each
 * draft and each publication is recorded in the files bucket under `wechat/<agency>/`, so
 * what would have gone out can be read back. Ids are derived from the content, so sending
 * the same article again records it once.
 */
export function recordingWechatChannel(files: FileStore): WechatChannel {
  const draftKey = (agencyCode: string, mediaId: string) => `wechat/${agencyCode}/drafts/${mediaId}.json`;
  const postKey = (agencyCode: string, publishId: string) => `wechat/${agencyCode}/published/${publishId}.json`;
  return {
    async addDraft(agencyCode, article: WechatArticle) {
      const mediaId = `draft-${createHash("sha256").update(JSON.stringify(article)).digest("hex").slice(0, 24)}`;
      await files.put(draftKey(agencyCode, mediaId), JSON.stringify({ mediaId, article }), "application/json");
      return { mediaId };
    },
    async publish(agencyCode, mediaId) {
      const draft = await files.get(draftKey(agencyCode, mediaId));
      if (!draft) throw new Error(`WeChat draft ${mediaId} does not exist`);
      const publishId = `pub-${mediaId.slice("draft-".length)}`;
      const { article } = JSON.parse(Buffer.from(draft.body).toString("utf8")) as { article: WechatArticle };
      await files.put(postKey(agencyCode, publishId), JSON.stringify({ publishId, mediaId, article }), "application/json");
      return { publishId };
    },
    async status(agencyCode, publishId) {
      const post = await files.get(postKey(agencyCode, publishId));
      return post ? { state: "published" as const, articleUrl: `wechat://${agencyCode}/${publishId}` } : { state: "failed" as const, reason: "未找到该发布记录" };
    },
  };
}

/** Every post the recorder holds for an agency (the local stack's page, tests). */
export async function recordedWechatPosts(files: FileStore, agencyCode: string): Promise<Array<{ publishId: string; mediaId: string; article: WechatArticle }>> {
  const keys = await files.list(`wechat/${agencyCode}/published/`);
  const posts = await Promise.all(keys.map((k) => files.get(k)));
  return posts.flatMap((p) => (p ? [JSON.parse(Buffer.from(p.body).toString("utf8")) as { publishId: string; mediaId: string; article: WechatArticle }] : []));
}
