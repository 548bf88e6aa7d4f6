/**
 * OpenAPI paths and components of the duty watch, incidents, leadership votes (SPEC §7.4)
 * and security inspections. The staff API's common responses are passed in, so every
 * operation answers errors in the one ErrorResponse shape.
 */
import { ref, type JsonSchema } from "./openapi-json";

interface Helpers {
  staffSecurity: unknown[];
  csrfParameter: unknown;
  csrfNote: string;
  json: (schema: JsonSchema, description: string) => unknown;
  error: (description: string) => unknown;
  badRequest: (what: string) => unknown;
  unauthorized: Record<string, unknown>;
}

const s = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: "string", description, ...extra });
const n = (description: string): JsonSchema => ({ type: "integer", description });
const ulid: JsonSchema = { type: "string", pattern: "^[0-9A-Z]{26}$", description: "编号（26 位）" };
const monthParameter = { name: "month", in: "query", required: false, description: "月份（YYYY-MM，默认本月）", schema: { type: "string", pattern: "^\\d{4}-\\d{2}$" } };

export function dutyComponents(): Record<string, JsonSchema> {
  const person: JsonSchema = { type: "object", description: "人员", required: ["username", "displayName"], properties: { username: s("用户名"), displayName: s("姓名") } };
  return {
    VoteInput: {
      type: "object",
      description: "提请领导小组表决的重大事项；对带班领导单独作出的决定有异议时填写 reviewOf（值班值守制度 三、5）",
      required: ["subject", "detail"],
      properties: { subject: s("表决事项（不超过 200 字）", { maxLength: 200 }), detail: s("情况说明（不超过 4000 字）", { maxLength: 4000 }), reviewOf: s("提请复议的带班领导决定（可选）", { maxLength: 1000 }) },
    },
    BallotInput: { type: "object", description: "一张选票", required: ["choice"], properties: { choice: s("表决意见：for 赞成，against 反对", { enum: ["for", "against"] }) } },
    Vote: {
      type: "object",
      description: "一次表决。成员为发起时领导小组的全体成员；全部成员投票后或表决期限届满时作出结论，赞成票不少于成员半数（包括半数）即通过",
      required: ["voteId", "status", "for", "against", "members"],
      properties: {
        voteId: s("表决编号"),
        reference: s("表决文号，如 BJ-2026-001"),
        subject: s("表决事项"),
        detail: s("情况说明"),
        reviewOf: s("提请复议的带班领导决定"),
        status: s("open 表决中；passed 通过；failed 未通过", { enum: ["open", "passed", "failed"] }),
        for: n("赞成票数"),
        against: n("反对票数"),
        members: { type: "array", description: "成员的用户名（发起时确定）", items: s("用户名") },
        memberNames: { type: "array", description: "成员姓名，与 members 一一对应", items: s("姓名") },
        ballots: { type: "array", description: "已投的票", items: { type: "object", description: "一张选票", properties: { username: s("用户名"), displayName: s("姓名"), choice: s("for 赞成；against 反对"), at: s("投票时间（ISO 8601）") } } },
        closesOn: s("表决期限（北京日期）"),
        calledBy: s("发起人姓名"),
        openedAt: s("发起时间（ISO 8601）"),
      },
    },
    RosterInput: {
      type: "object",
      description: "月度值班表：当月每个工作日（按工作日历，含调休上班日）一行，值守人员须担任值守人员角色，带班领导须为领导小组成员、分管领导或主要领导",
      required: ["month", "days"],
      properties: {
        month: s("月份（YYYY-MM）"),
        days: { type: "array", description: "每个工作日一行", items: { type: "object", description: "一天", required: ["date", "officer", "leader"], properties: { date: s("日期（YYYY-MM-DD）"), officer: s("值守人员用户名"), leader: s("带班领导用户名") } } },
      },
    },
    Roster: {
      type: "object",
      description: "保存后的值班表（每次保存为新的一版，并发送给表上人员）",
      required: ["month", "days"],
      properties: {
        agencyCode: s("机关代码"),
        month: s("月份"),
        revision: n("版本，0 表示尚未编排"),
        days: { type: "array", description: "每个工作日一行", items: { type: "object", description: "一天", properties: { date: s("日期"), officer: person, leader: person } } },
        drawnUpBy: person,
        drawnUpAt: s("编排时间（ISO 8601）"),
      },
    },
    AnnotationInput: { type: "object", description: "值守记录的批注（记录本身不可修改）", required: ["text"], properties: { text: s("批注（不超过 2000 字）", { maxLength: 2000 }) } },
    IncidentInput: {
      type: "object",
      description: "故障、异常或安全事件的书面报告（值班值守制度 二、10；网站安全防护制度 第五条、第八条）；提交后网站管理员立即收到邮件，值守人员获得处置待办",
      required: ["title", "category", "description"],
      properties: {
        title: s("事件标题"),
        category: s("fault 故障；content 内容异常；security 安全事件", { enum: ["fault", "content", "security"] }),
        description: s("故障描述"),
        emergency: { type: "boolean", description: "是否紧急（须先报告上级部门并记录时间才能办结）" },
      },
    },
    DutySettingsInput: {
      type: "object",
      description: "值守设置；未提供的项保持不变",
      properties: {
        sites: { type: "array", description: "自动检查的页面（http 或 https 网址，最多 10 个）", maxItems: 10, items: s("网址") },
        inspectionEveryWeeks: { type: "integer", description: "安全巡检间隔（周，1 至 12）", minimum: 1, maximum: 12 },
      },
    },
    DutySettings: {
      type: "object",
      description: "值守设置",
      required: ["sites", "defaultSites", "inspectionEveryWeeks"],
      properties: {
        sites: { type: "array", description: "自动检查的页面", items: s("网址") },
        defaultSites: { type: "boolean", description: "未配置页面、检查门户网站自身时为 true" },
        inspectionEveryWeeks: n("安全巡检间隔（周）"),
      },
    },
    CaseOpened: { type: "object", description: "已建立的记录", required: ["caseId"], properties: { caseId: s("案件编号"), reference: s("编号") } },
    InspectionOpened: {
      type: "object",
      description: "已生成的巡检及其清单",
      required: ["caseId", "items"],
      properties: {
        caseId: s("案件编号"),
        items: {
          type: "array",
          description: "巡检清单",
          items: {
            type: "object",
            description: "一项",
            properties: {
              key: s("password_age 密码更换；second_factor 双因素认证；idle_admins 长期未用的管理员账号；certificates 证书有效期；backup 备份；dead_letters 死信队列"),
              label: s("项目名称"),
              status: s("ok 正常；finding 发现问题；not_applicable 不适用；unknown 无法确定"),
              details: { type: "array", description: "情况说明", items: s("一行说明") },
            },
          },
        },
      },
    },
    DutySummary: {
      type: "object",
      description: "值班值守与安全巡检情况（SPEC §5 第 5 项）",
      required: ["month", "days", "checks", "incidents", "votes", "inspections"],
      properties: {
        agencyCode: s("机关代码"),
        agencyName: s("机关名称"),
        month: s("月份"),
        generatedAt: s("生成时间（ISO 8601）"),
        days: { type: "object", description: "值守天数", properties: { rostered: n("排班天数"), covered: n("当天按时记录的天数"), logsMissing: n("已过去但没有按时记录的天数"), logsLate: n("事后补记的天数") } },
        checks: { type: "object", description: "检查", properties: { missed: n("未按规定时间完成的检查"), abnormal: n("发现异常的检查"), automaticRuns: n("自动检查次数"), automaticFailed: n("自动检查发现异常的次数"), failed: n("未按时或异常的检查合计（missed + automaticFailed）") } },
        incidents: { type: "object", description: "故障和事件", properties: { opened: n("本月新发"), open: n("尚未处置"), emergencies: n("本月紧急"), reportedUpward: n("本月已报告上级") } },
        votes: { type: "object", description: "领导小组表决", properties: { held: n("本月发起"), passed: n("通过"), failed: n("未通过"), open: n("进行中") } },
        inspections: { type: "object", description: "安全巡检", properties: { held: n("本月巡检次数"), findings: n("清单发现的问题项数"), unrecorded: n("尚未登记的巡检") } },
        rows: { type: "array", description: "每日值守", items: { type: "object", description: "一天", properties: { date: s("日期"), officer: s("值守人员"), leader: s("带班领导"), caseId: s("值守记录编号"), logged: { type: "boolean", description: "是否已记录" }, late: { type: "boolean", description: "是否补记" }, missedChecks: n("逾时的检查"), abnormal: n("异常的检查") } } },
      },
    },
  };
}

export function dutyPaths(h: Helpers): Record<string, Record<string, Record<string, unknown> & { tags: string[]; operationId: string; summary: string }>> {
  const body = (name: string) => ({ required: true, content: { "application/json": { schema: ref(name) } } });
  const write = { security: h.staffSecurity, parameters: [h.csrfParameter] };
  const voteId = { name: "voteId", in: "path", required: true, description: "表决编号", schema: ulid };
  return {
    "/api/v1/votes": {
      post: {
        tags: ["staff"],
        operationId: "callVote",
        summary: "提请领导小组表决重大事项（值守人员或领导小组成员）",
        description: `成员为此刻领导小组的全体在职成员；表决期限 3 个工作日。${h.csrfNote}。`,
        ...write,
        requestBody: body("VoteInput"),
        responses: {
          "201": h.json(ref("Vote"), "已发起，成员已收到待办和邮件"),
          "400": h.badRequest("表决事项或说明缺失或过长"),
          ...h.unauthorized,
          "403": h.error("只有值守人员或领导小组成员可以发起（FORBIDDEN）"),
          "409": h.error("领导小组尚无成员（NO_MEMBERS）"),
        },
      },
    },
    "/api/v1/votes/{voteId}": {
      get: {
        tags: ["staff"],
        operationId: "getVote",
        summary: "表决的状态、票数和成员",
        security: h.staffSecurity,
        parameters: [voteId],
        responses: { "200": h.json(ref("Vote"), "表决"), ...h.unauthorized, "404": h.error("没有该表决（NOT_FOUND）") },
      },
    },
    "/api/v1/votes/{voteId}/ballots": {
      post: {
        tags: ["staff"],
        operationId: "castBallot",
        summary: "领导小组成员投票（每人一票）",
        description: `最后一位成员投票后立即作出结论。${h.csrfNote}。`,
        security: h.staffSecurity,
        parameters: [voteId, h.csrfParameter],
        requestBody: body("BallotInput"),
        responses: {
          "201": h.json(ref("Vote"), "已投票，答复表决的最新状态"),
          "400": h.badRequest("choice 应为 for 或 against"),
          ...h.unauthorized,
          "403": h.error("不是发起时的领导小组成员（FORBIDDEN）"),
          "404": h.error("没有该表决（NOT_FOUND）"),
          "409": h.error("已投过票（ALREADY_VOTED）或表决已结束（VOTE_CLOSED）"),
        },
      },
    },
    "/api/v1/duty/rosters": {
      get: {
        tags: ["staff"],
        operationId: "getDutyRoster",
        summary: "某月的值班表",
        security: h.staffSecurity,
        parameters: [monthParameter],
        responses: { "200": h.json(ref("Roster"), "值班表（尚未编排时 days 为空、revision 为 0）"), "400": h.badRequest("月份格式无效"), ...h.unauthorized },
      },
      post: {
        tags: ["staff"],
        operationId: "saveDutyRoster",
        summary: "编排某月的值班表并发送给表上的值守人员和带班领导",
        description: `办公室、办公室主任、领导小组成员或分管领导可以编排。${h.csrfNote}。`,
        ...write,
        requestBody: body("RosterInput"),
        responses: {
          "201": h.json(ref("Roster"), "已保存并发送"),
          "400": h.badRequest("日期不是当月工作日、重复、漏排，或人员不担任相应角色"),
          ...h.unauthorized,
          "403": h.error("当前角色无权编排（FORBIDDEN）"),
        },
      },
    },
    "/api/v1/duty/days/{caseId}/annotations": {
      post: {
        tags: ["staff"],
        operationId: "annotateDutyLog",
        summary: "批注一天的值守记录（记录本身存档备查，不能修改）",
        description: `领导、办公室主任和值守人员可以批注。${h.csrfNote}。`,
        security: h.staffSecurity,
        parameters: [{ name: "caseId", in: "path", required: true, description: "值守记录编号", schema: ulid }, h.csrfParameter],
        requestBody: body("AnnotationInput"),
        responses: {
          "201": h.json(ref("CaseOpened"), "已批注"),
          "400": h.badRequest("批注为空或过长"),
          ...h.unauthorized,
          "403": h.error("当前角色无权批注（FORBIDDEN）"),
          "404": h.error("没有该值守记录（NOT_FOUND）"),
          "409": h.error("值守记录尚未填写（LOG_NOT_WRITTEN）"),
        },
      },
    },
    "/api/v1/duty/summary": {
      get: {
        tags: ["staff"],
        operationId: "getDutySummary",
        summary: "值班值守与安全巡检情况：排班天数、记录缺失、检查未按时或异常、未处置的事件、表决和巡检",
        security: h.staffSecurity,
        parameters: [monthParameter],
        responses: { "200": h.json(ref("DutySummary"), "月度情况"), "400": h.badRequest("月份格式无效"), ...h.unauthorized, "403": h.error("当前角色无权查看（FORBIDDEN）") },
      },
    },
    "/api/v1/duty/settings": {
      get: {
        tags: ["staff"],
        operationId: "getDutySettings",
        summary: "值守设置：自动检查的页面和巡检间隔",
        security: h.staffSecurity,
        responses: { "200": h.json(ref("DutySettings"), "当前设置"), ...h.unauthorized },
      },
      put: {
        tags: ["staff"],
        operationId: "saveDutySettings",
        summary: "修改值守设置（系统管理员、网站管理员或安全员）",
        description: `sites 为空列表时恢复检查门户网站自身的首页和目录页。${h.csrfNote}。`,
        ...write,
        requestBody: body("DutySettingsInput"),
        responses: {
          "200": h.json(ref("DutySettings"), "已保存"),
          "400": h.badRequest("网址无效或巡检间隔超出 1 至 12 周"),
          ...h.unauthorized,
          "403": h.error("当前角色无权修改（FORBIDDEN）"),
        },
      },
    },
    "/api/v1/incidents": {
      post: {
        tags: ["staff"],
        operationId: "reportIncident",
        summary: "报告故障、异常或安全事件（书面故障描述），网站管理员立即收到邮件",
        description: `值守人员、网站管理员、公众号管理员或安全员可以报告。${h.csrfNote}。`,
        ...write,
        requestBody: body("IncidentInput"),
        responses: {
          "201": h.json(ref("CaseOpened"), "已报告"),
          "400": h.badRequest("标题、类别或描述缺失或无效"),
          ...h.unauthorized,
          "403": h.error("当前角色无权报告（FORBIDDEN）"),
        },
      },
    },
    "/api/v1/inspections": {
      post: {
        tags: ["staff"],
        operationId: "startInspection",
        summary: "安全员现在开始一次网站安全巡检（另有每周定时巡检）",
        description: `生成巡检清单（密码更换、双因素认证、长期未用的管理员账号、证书有效期、备份、死信队列）和登记待办。${h.csrfNote}。`,
        ...write,
        responses: {
          "201": h.json(ref("InspectionOpened"), "已生成巡检清单"),
          ...h.unauthorized,
          "403": h.error("只有安全员可以发起（FORBIDDEN）"),
          "409": h.error("上一次巡检尚未登记（INSPECTION_OPEN）"),
        },
      },
    },
  };
}
