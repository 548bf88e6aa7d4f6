import { afterEach, describe, expect, it, vi } from "vitest";
import { AGENCIES_TTL_MS, createDynamoStore } from "../../../shared/adapters/aws/store";
import { agencyItem } from "../../../shared/adapters/aws/entities/directory";
import type { Table } from "../../../shared/adapters/aws/table";
import type { AgencyRecord } from "../../../shared/domain/records";

/** The DynamoDB store's agency list (the one deployment-wide index partition) over a table that counts its queries. */
function countingTable(agencies: AgencyRecord[]) {
  const queries: string[] = [];
  const table = {
    name: "gongkai",
    query: async (input: { pk: string }) => {
      queries.push(input.pk);
      return agencies.map(agencyItem);
    },
    put: async () => undefined,
    transact: async () => undefined,
  } as unknown as Table;
  return { table, queries };
}

afterEach(() => vi.restoreAllMocks());

describe("the agency list", () => {
  it("is read from the AGENCIES partition once a minute per store, not on every page that lists agencies", async () => {
    // Prepare
    const agencies: AgencyRecord[] = [{ code: "001008010002002", name: "黄岩区行政服务中心" }];
    const { table, queries } = countingTable(agencies);
    const store = createDynamoStore(table);
    const now = vi.spyOn(Date, "now").mockReturnValue(Date.parse("2026-03-02T01:00:00.000Z"));
    // Act
    const first = await store.directory.agencies();
    for (let i = 0; i < 10; i++) await store.directory.agencies();
    now.mockReturnValue(Date.parse("2026-03-02T01:00:00.000Z") + AGENCIES_TTL_MS - 1);
    await store.directory.agencies();
    const withinTheMinute = queries.length;
    now.mockReturnValue(Date.parse("2026-03-02T01:00:00.000Z") + AGENCIES_TTL_MS);
    await store.directory.agencies();
    // Assess
    expect(first.map((a) => a.code)).toEqual(["001008010002002"]);
    expect(withinTheMinute).toBe(1);
    expect(queries).toEqual(["AGENCIES", "AGENCIES"]);
  });

  it("is read afresh once this store writes an agency, by itself or in a commit", async () => {
    // Prepare
    const agencies: AgencyRecord[] = [{ code: "001008010002002", name: "黄岩区行政服务中心" }];
    const { table, queries } = countingTable(agencies);
    const store = createDynamoStore(table);
    await store.directory.agencies();
    // Act
    agencies.push({ code: "001008010003001", name: "黄岩区民政局" });
    await store.directory.putAgency(agencies[1]!);
    const afterPut = await store.directory.agencies();
    agencies[1] = { ...agencies[1]!, name: "黄岩区民政局（更名）" };
    await store.commit([{ kind: "agency", agency: agencies[1], create: false }]);
    const afterCommit = await store.directory.agencies();
    // a caller sorting or filtering its copy changes nothing for the next
    afterCommit.pop();
    // Assess
    expect(afterPut.map((a) => a.code)).toEqual(["001008010002002", "001008010003001"]);
    expect(afterCommit.map((a) => a.name)).toEqual(["黄岩区行政服务中心"]);
    expect((await store.directory.agencies()).map((a) => a.name)).toEqual(["黄岩区行政服务中心", "黄岩区民政局（更名）"]);
    expect(queries).toHaveLength(3);
  });
});
