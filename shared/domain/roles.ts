/** Every role of SPEC §2; one person may hold several. */
export const roles = [
  "applicant",
  "info_officer",
  "section_head",
  "office_staff",
  "office_director",
  "deputy_leader",
  "principal_leader",
  "tech_info",
  "web_admin",
  "wechat_admin",
  "security_officer",
  "duty_officer",
  "leadership_group",
  "auditor",
  "administrator",
] as const;

export type Role = (typeof roles)[number];

export const roleLabels: Record<Role, string> = {
  applicant: "申请人",
  info_officer: "信息员",
  section_head: "科室负责人",
  office_staff: "办公室",
  office_director: "办公室主任",
  deputy_leader: "分管领导",
  principal_leader: "主要领导",
  tech_info: "技术信息科",
  web_admin: "网站管理员",
  wechat_admin: "公众号管理员",
  security_officer: "安全员",
  duty_officer: "值守人员",
  leadership_group: "领导小组",
  auditor: "审计",
  administrator: "系统管理员",
};

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

/** Chinese label of a role; unknown names are shown as they are rather than hidden. */
export function roleLabel(role: string): string {
  return isRole(role) ? roleLabels[role] : role;
}
