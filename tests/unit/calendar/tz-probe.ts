// Run in a child process under different TZ values; prints results that must not depend on TZ.
import { WorkingCalendar, fromDayNumber, shanghaiDate, shanghaiInstant, toDayNumber } from "../../../shared/domain/calendar";
import { evaluateDeadline, reminderMoments, startDeadline } from "../../../shared/domain/deadlines";

const cal = WorkingCalendar.official();
const out: unknown[] = [];
for (let day = toDayNumber("2020-01-01"); day <= toDayNumber("2027-02-28"); day += 13) {
  const start = fromDayNumber(day);
  const n = (day % 40) + 1;
  out.push([start, n, cal.addWorkingDays(start, n), cal.day(start).kind]);
}
const answer = startDeadline("answer", 20, { on: "2024-09-27", reason: "测试", by: "t", at: "2024-09-27T02:00:00.000Z" }, { maxExtensionDays: 20, maxTotalWorkingDays: 40 });
out.push(evaluateDeadline(cal, answer).dueOn, reminderMoments(cal, answer).map((m) => [m.kind, m.at.toISOString()]));
out.push(shanghaiDate(new Date("2024-02-08T16:00:00.000Z")), shanghaiDate(new Date("2024-02-08T15:59:59.999Z")), shanghaiInstant("2024-02-09", "09:00").toISOString());
process.stdout.write(JSON.stringify({ tz: process.env.TZ, localOffset: new Date("2024-06-01T00:00:00Z").getTimezoneOffset(), out }));
