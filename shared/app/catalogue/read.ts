import type { AppDeps } from "../deps";
import type { AgencyRecord } from "../../domain/records";
import type { IsoDate } from "../../domain/calendar";
import type { CatalogueEntry } from "../../domain/catalogue/entry";
import { catalogueColumns } from "../../domain/catalogue/columns";
import { FEE_MEASURES, LITIGATION_LAW, OGI, REVIEW_LAW } from "../../domain/letters/law";

/**
 * Reading the public catalogue for the public site.
 *
 * `catalogueEntries` keeps each agency's entries in the process for a few seconds: a
 * catalogue page or search scans all of them in memory (shared/domain/catalogue/search.ts),
 * and keeping the same entry objects lets the search reuse the normalised keys it computed
 * for them. A warm Lambda re-reads the store at most every `CATALOGUE_TTL_MS` per agency, so
 * what another process published shows within that time; a publication or withdrawal in
 * this process calls `forgetCatalogue` to show at once. An entry's own page reads the store
 * directly (`deps.store.catalogue.get`), so a withdrawal is never shown late there.
 */

export const CATALOGUE_TTL_MS = 15_000;

interface Cached {
  loadedAt: number;
  epoch: number;
  entries: Promise<readonly CatalogueEntry[]>;
}

/** Per store (each test's deps have their own), per agency. */
const caches = new WeakMap<object, Map<string, Cached>>();
let epoch = 0;
/** entries loaded before this epoch are stale: for all agencies, and per agency */
let forgottenAll = 0;
const forgotten = new Map<string, number>();

/** A clock that never jumps (the local stack's movable clock does, on purpose). */
const monotonicMs = () => performance.now();

/** Every entry of the agency (withdrawn ones too), newest first, as of at most CATALOGUE_TTL_MS ago. Treat them as read-only. */
export async function catalogueEntries(deps: Pick<AppDeps, "store">, agencyCode: string): Promise<readonly CatalogueEntry[]> {
  let perAgency = caches.get(deps.store);
  if (!perAgency) caches.set(deps.store, (perAgency = new Map()));
  const cached = perAgency.get(agencyCode);
  const stale = Math.max(forgottenAll, forgotten.get(agencyCode) ?? 0);
  if (cached && cached.epoch >= stale && monotonicMs() - cached.loadedAt < CATALOGUE_TTL_MS) return cached.entries;
  const previous = cached?.entries.catch(() => [] as readonly CatalogueEntry[]);
  const loading: Cached = {
    loadedAt: monotonicMs(),
    epoch: ++epoch,
    entries: deps.store.catalogue.list(agencyCode).then(async (fresh) => (previous ? keepUnchanged(await previous, fresh) : fresh)),
  };
  perAgency.set(agencyCode, loading);
  // concurrent requests share one read; a failed read is not kept
  loading.entries.catch(() => {
    if (perAgency.get(agencyCode) === loading) perAgency.delete(agencyCode);
  });
  return loading.entries;
}

/**
 * The fresh list with the objects of the previous one where an entry did not change (same
 * index number and revision): the search's normalised keys hang on the objects, so a
 * re-read every few seconds does not normalise tens of thousands of texts again.
 */
function keepUnchanged(previous: readonly CatalogueEntry[], fresh: CatalogueEntry[]): readonly CatalogueEntry[] {
  const before = new Map(previous.map((e) => [e.indexNumber, e]));
  return fresh.map((e) => {
    const old = before.get(e.indexNumber);
    return old && old.revision === e.revision && old.status === e.status ? old : e;
  });
}

/** Drops what this process keeps of an agency's catalogue (every agency's without one), e.g. after publishing. */
export function forgetCatalogue(agencyCode?: string): void {
  epoch++;
  if (agencyCode === undefined) forgottenAll = epoch;
  else forgotten.set(agencyCode, epoch);
}

// ---------------------------------------------------------------------------
// 政府信息公开指南

export interface GuideSection {
  heading: string;
  /** plain text; each line a paragraph */
  body: string;
  /** links shown under the section (same-site paths) */
  links?: Array<{ href: string; label: string }>;
}

export interface Guide {
  /** when it was last edited; undefined for the one built from the agency's profile */
  updatedOn?: IsoDate;
  sections: GuideSection[];
}

/** The guide the agency edited, or the one `defaultGuide` builds. */
export function guideOf(agency: AgencyRecord): Guide {
  const edited = agency.site?.guide;
  if (edited && edited.sections.length > 0) return { updatedOn: edited.updatedOn, sections: edited.sections.map((s) => ({ heading: s.heading, body: s.body })) };
  return defaultGuide(agency);
}

const lines = (...parts: Array<string | false | undefined>) => parts.filter((p): p is string => Boolean(p)).join("\n");

/**
 * A 政府信息公开指南 built from the agency's profile, for an agency that has not edited its
 * own: what OGI Regulations art. 12 requires it to say — how information is published
 * proactively, how to apply and how applications are handled, the remedies, and the
 * office's name, address, hours and contacts.
 */
export function defaultGuide(agency: AgencyRecord): Guide {
  const site = agency.site ?? {};
  const name = agency.name;
  const address = site.address ?? agency.officeAddress;
  const reviewAuthority = agency.reviewAuthority?.trim() || "本级人民政府";
  const court = agency.court?.trim() || "有管辖权的人民法院";
  const agencyQuery = `?agency=${encodeURIComponent(agency.code)}`;
  const columns = catalogueColumns.map((c) => c.label).join("、");

  const office = lines(
    `机构名称：${name}政府信息公开工作机构`,
    address && `办公地址：${address}${site.postalCode ? `（邮政编码：${site.postalCode}）` : ""}`,
    site.hours && `办公时间：${site.hours}`,
    site.phone ? `联系电话：${site.phone}` : agency.officeContact && `联系方式：${agency.officeContact}`,
    site.fax && `传真：${site.fax}`,
    site.email && `电子邮箱：${site.email}`,
  );

  return {
    sections: [
      {
        heading: "说明",
        body: lines(
          `为了保障公民、法人和其他组织依法获取政府信息，根据${OGI}（以下简称《条例》）第十二条的规定，编制本指南。`,
          `本指南说明${name}主动公开政府信息的内容、形式和时限，申请获取政府信息的方式和办理程序，监督和救济的途径，以及政府信息公开工作机构的联系方式。`,
        ),
      },
      {
        heading: "一、主动公开",
        body: lines(
          `（一）公开的主要内容。本机关依照《条例》第十九条、第二十条的规定，主动公开涉及公众利益调整、需要公众广泛知晓或者需要公众参与决策的政府信息，分为${columns}等栏目，具体内容见本网站“政府信息公开目录”。`,
          "（二）公开形式。主动公开的政府信息主要通过本网站“政府信息公开目录”公开，每条信息都有索引号，可按栏目、年份浏览，也可以按标题、文号或正文检索；并根据需要通过政务新媒体、新闻发布会、政务服务场所的查阅点等途径公开。",
          "（三）公开时限。属于主动公开范围的政府信息，自该政府信息形成或者变更之日起20个工作日内予以公开；法律、法规对公开期限另有规定的，从其规定（《条例》第二十六条）。",
        ),
        links: [{ href: `/catalogue${agencyQuery}`, label: "政府信息公开目录" }],
      },
      {
        heading: "二、依申请公开",
        body: lines(
          `（一）受理机构。${name}政府信息公开工作机构负责受理向本机关提出的政府信息公开申请，地址和联系方式见本指南“四、工作机构”。`,
          "（二）申请方式。申请人应当以书面形式提出申请；书面形式确有困难的，可以口头提出，由工作人员代为填写申请。",
          "1. 在线申请：在本网站“依申请公开”栏目填写并提交申请表。提交后即获得申请编号和查询码，凭此可以在“查询办理进度”中查看办理情况和告知书。",
          address ? `2. 信函申请：将申请邮寄至${address}，并在信封上注明“政府信息公开申请”字样。` : "2. 信函申请：将申请邮寄至本机关政府信息公开工作机构，并在信封上注明“政府信息公开申请”字样。",
          `3. 当面申请：在办公时间到${address ?? "本机关政府信息公开工作机构"}填写申请表。`,
          "申请内容应当包括：申请人的姓名或者名称、身份证明、联系方式；申请公开的政府信息的名称、文号或者便于查询的其他特征性描述；申请公开的政府信息的形式要求，包括获取信息的方式、途径（《条例》第二十九条）。",
          "（三）办理流程与时限。当面提交的，以提交之日为收到申请之日；邮寄的，以签收之日为收到申请之日；通过互联网或者传真提交的，以双方确认之日为收到申请之日（《条例》第三十一条）。申请内容不明确的，自收到申请之日起7个工作日内一次性告知申请人补正（《条例》第三十条）。",
          "能够当场答复的，当场予以答复；不能当场答复的，自收到申请之日起20个工作日内予以答复；需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不超过20个工作日。征求第三方和其他机关意见所需时间不计算在上述期限内（《条例》第三十三条）。",
          `（四）收费。依申请提供政府信息，不收取费用。但是，申请公开政府信息的数量、频次明显超过合理范围的，可以依照${FEE_MEASURES}收取信息处理费（《条例》第四十二条）。`,
        ),
        links: [
          { href: `/apply${agencyQuery}`, label: "在线提交政府信息公开申请" },
          { href: "/track", label: "查询办理进度" },
        ],
      },
      {
        heading: "三、监督和救济",
        body: lines(
          "公民、法人或者其他组织认为本机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼（《条例》第五十一条）。",
          `申请行政复议的，可以自知道或者应当知道该行政行为之日起60日内，向${reviewAuthority}提出（${REVIEW_LAW}第二十条）。`,
          `提起行政诉讼的，可以自知道或者应当知道作出行政行为之日起6个月内，向${court}提出（${LITIGATION_LAW}第四十六条）。`,
          `对不予公开政府信息的决定不服的，应当先申请行政复议；对行政复议决定不服的，再依法提起行政诉讼（${REVIEW_LAW}第二十三条）。`,
        ),
      },
      { heading: "四、工作机构", body: office },
    ],
  };
}
