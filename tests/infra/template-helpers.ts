import type { Template } from "aws-cdk-lib/assertions";

/** Helpers to read a synthesized template the way IAM reads it: per function role. */

type Resource = { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> };
export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

export function resourcesOfType(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

/** The Lambda (logical id + resource) that carries the manifest name in its metadata. */
export function functionNamed(template: Template, name: string): [string, Resource] | undefined {
  return Object.entries(resourcesOfType(template, "AWS::Lambda::Function")).find(
    ([, fn]) => (fn.Metadata?.["gongkai:function"] as { name?: string } | undefined)?.name === name,
  );
}

/** The one template among `templates` that holds the function `name` (functions are spread over the stacks). */
export function templateHolding(templates: Template[], name: string): Template {
  const holders = templates.filter((t) => functionNamed(t, name));
  if (holders.length !== 1) throw new Error(`function ${name} is in ${holders.length} templates, expected exactly 1`);
  return holders[0]!;
}

export function deployedFunctionNames(template: Template): string[] {
  return Object.values(resourcesOfType(template, "AWS::Lambda::Function"))
    .map((fn) => (fn.Metadata?.["gongkai:function"] as { name?: string } | undefined)?.name)
    .filter((name): name is string => Boolean(name));
}

export function environmentOf(template: Template, name: string): Record<string, unknown> {
  const [, fn] = mustFind(template, name);
  return ((fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {});
}

/** Every statement of every policy attached to the function's role (inline and AWS::IAM::Policy). */
export function statementsOf(template: Template, name: string): Statement[] {
  const [, fn] = mustFind(template, name);
  const roleId = (fn.Properties?.Role as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0];
  return statementsOfRole(template, roleId);
}

export function statementsOfRole(template: Template, roleId: string): Statement[] {
  const role = resourcesOfType(template, "AWS::IAM::Role")[roleId];
  if (!role) throw new Error(`no role ${roleId}`);
  const inline = ((role.Properties?.Policies as { PolicyDocument: { Statement: Statement[] } }[] | undefined) ?? []).flatMap(
    (p) => p.PolicyDocument.Statement,
  );
  const attached = Object.values(resourcesOfType(template, "AWS::IAM::Policy"))
    .filter((p) => (p.Properties?.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId })))
    .flatMap((p) => (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
  // a role whose policy outgrows IAM's inline size gets the rest as managed policies (CDK's overflow)
  const managed = Object.values(resourcesOfType(template, "AWS::IAM::ManagedPolicy"))
    .filter((p) => ((p.Properties?.Roles as unknown[] | undefined) ?? []).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId })))
    .flatMap((p) => (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
  return [...inline, ...attached, ...managed];
}

export function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

export function resourcesOf(statement: Statement): unknown[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}

/** Statements granting an action matching `pattern` (e.g. /^sqs:SendMessage$/). */
export function statementsAllowing(statements: Statement[], pattern: RegExp): Statement[] {
  return statements.filter((s) => s.Effect === "Allow" && actionsOf(s).some((a) => pattern.test(a)));
}

/** The logical id a Ref/GetAtt/ImportValue points at, as a searchable string. */
export function referenceText(value: unknown): string {
  return JSON.stringify(value);
}

function mustFind(template: Template, name: string): [string, Resource] {
  const found = functionNamed(template, name);
  if (!found) throw new Error(`function ${name} is not in the template`);
  return found;
}
