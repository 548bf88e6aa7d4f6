import type { TestStack } from "./stack";
import type { AppDeps } from "../../shared/app/deps";
import { buildAppDeps } from "../../shared/adapters/aws/app-deps";
import { createS3FileStore } from "../../shared/adapters/aws/file-store";
import { seedDemo, DEMO_PASSWORD, demoAgencies } from "../../shared/app/seed-demo";
import { signIn, type StaffPrincipal } from "../../shared/app/auth";

/** Use-case dependencies wired to a test stack, exactly as production wires them to AWS. */
export function appDepsFor(stack: TestStack): AppDeps {
  return buildAppDeps({ doc: stack.doc, sqs: stack.sqs, scheduler: stack.scheduler, files: createS3FileStore(stack.s3, stack.config.filesBucket), config: stack.config, clock: stack.clock });
}

export async function seededDeps(stack: TestStack): Promise<AppDeps> {
  const deps = appDepsFor(stack);
  await seedDemo({ store: deps.store });
  return deps;
}

export const serviceCenter = demoAgencies[0]!.code;
export const otherAgency = demoAgencies[1]!.code;

export async function signInAs(deps: AppDeps, username: string, agencyCode = serviceCenter): Promise<StaffPrincipal> {
  const { principal } = await signIn(deps, { agencyCode, username, password: DEMO_PASSWORD });
  return principal;
}

/** A valid online application body (SPEC §7) with a made-up but checksum-valid ID number. */
export function validApplication(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    agencyCode: serviceCenter,
    applicantType: "natural_person",
    name: "张三",
    idType: "resident_id",
    idNumber: "110101199003074514",
    phone: "13800138000",
    email: "zhangsan@example.com",
    address: "浙江省台州市黄岩区劳动北路1号",
    postalCode: "318020",
    description: "2025年度行政服务中心窗口服务满意度调查结果",
    deliveryForm: "email",
    deliveryWay: "email",
    ...overrides,
  };
}
