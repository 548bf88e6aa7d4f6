import type { Role } from "../domain/roles";
import type { AgencyRecord } from "../domain/records";
import type { Store } from "./ports/store";
import { hashPassword, PUBLIC_PASSWORD_COST } from "./passwords";
import type { Clock } from "../domain/clock";

export interface DemoUser {
  agencyCode: string;
  username: string;
  password: string;
  roles: Role[];
  displayName: string;
}

export interface SeedDeps {
  store: Store;
  /** when the demo passwords count as set (default: now) */
  clock?: Clock;
}

export const demoAgencies: AgencyRecord[] = [
  {
    code: "001008010002002",
    name: "黄岩区行政服务中心",
    letterhead: "台州市黄岩区行政服务中心",
    letterPrefix: "黄行服依复",
    officeContact: "办公室 0576-00000000",
    officeAddress: "台州市黄岩区劳动北路1号",
    reviewAuthority: "台州市黄岩区人民政府",
    court: "台州市黄岩区人民法院",
    // demo values: an agency enters its own filing numbers under 网站设置
    site: {
      address: "台州市黄岩区劳动北路1号",
      postalCode: "318020",
      phone: "0576-00000000",
      email: "gongkai@demo.gongkai.local",
      hours: "工作日 上午8:30—12:00 下午14:30—17:30",
      siteCode: "3310030000",
      icp: "浙ICP备00000000号",
      psb: "浙公网安备 33100302000000号",
    },
  },
  {
    code: "001008010003001",
    name: "黄岩区示范局",
    letterhead: "台州市黄岩区示范局",
    letterPrefix: "黄示依复",
    officeContact: "办公室 0576-11111111",
    reviewAuthority: "台州市黄岩区人民政府",
  },
];

/** Demo password for every demo user: 8+ characters with a special symbol (seed 网站安全防护制度 第二条). */
export const DEMO_PASSWORD = "Gongkai#2026";

const staff: Array<{ username: string; displayName: string; roles: Role[] }> = [
  { username: "office", displayName: "办公室 王敏", roles: ["office_staff"] },
  { username: "director", displayName: "办公室主任 李强", roles: ["office_director"] },
  { username: "deputy", displayName: "分管领导 陈华", roles: ["deputy_leader"] },
  { username: "principal", displayName: "主要领导 赵刚", roles: ["principal_leader"] },
  { username: "officer", displayName: "信息员 周洁", roles: ["info_officer"] },
  { username: "section", displayName: "科室负责人 吴涛", roles: ["section_head"] },
  { username: "techinfo", displayName: "技术信息科 郑宇", roles: ["tech_info"] },
  { username: "webadmin", displayName: "网站管理员 孙丽", roles: ["web_admin", "wechat_admin"] },
  { username: "security", displayName: "安全员 钱军", roles: ["security_officer"] },
  { username: "duty", displayName: "值守人员 冯雪", roles: ["duty_officer"] },
  { username: "group", displayName: "领导小组成员 何平", roles: ["leadership_group"] },
  // a leadership group of four, so a vote can pass with half in favour (值班值守制度 三、5)
  { username: "group2", displayName: "领导小组成员 许明", roles: ["leadership_group"] },
  { username: "group3", displayName: "领导小组成员 韩梅", roles: ["leadership_group"] },
  { username: "group4", displayName: "领导小组成员 曹阳", roles: ["leadership_group"] },
  { username: "auditor", displayName: "审计 马琳", roles: ["auditor"] },
  { username: "admin", displayName: "系统管理员 刘洋", roles: ["administrator"] },
];

export function demoUsers(): DemoUser[] {
  return demoAgencies.flatMap((agency) =>
    staff.map((s) => ({ agencyCode: agency.code, password: DEMO_PASSWORD, ...s })),
  );
}

/**
 * Seeds two agencies and their staff on first run; does nothing when already seeded.
 * The demo agencies keep the sign-in policy's defaults but ask no second factor (SPEC
 * §7.4), and the demo accounts' passwords never expire nor must be changed: demos and
 * tests sign in with DEMO_PASSWORD after moving the local clock by months.
 */
export async function seedDemo(deps: SeedDeps): Promise<{ seeded: boolean; users: DemoUser[] }> {
  const users = demoUsers();
  const first = demoAgencies[0]!;
  if (await deps.store.directory.agency(first.code)) return { seeded: false, users };
  // DEMO_PASSWORD is in the README and the start banner: its hash needs no memory-hard cost
  const passwordHash = await hashPassword(DEMO_PASSWORD, PUBLIC_PASSWORD_COST);
  for (const user of users) {
    const suffix = user.agencyCode.slice(-3);
    await deps.store.directory.putUser({
      agencyCode: user.agencyCode,
      username: user.username,
      displayName: user.displayName,
      email: `${user.username}.${suffix}@demo.gongkai.local`,
      roles: user.roles,
      passwordHash,
      passwordChangedAt: (deps.clock?.now() ?? new Date()).toISOString(),
      passwordNeverExpires: true,
    });
  }
  // the agency profile goes last: its presence marks a finished seed
  for (const agency of demoAgencies) await deps.store.directory.putAgency(agency);
  return { seeded: true, users };
}
