import { Logger } from "@aws-lambda-powertools/logger";

/**
 * Structured JSON logs. Only ids go in (agency, case, task, correlation): never a
 * name, ID number, phone, email or address — those stay in the table.
 */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "gongkai",
  logLevel: (process.env.LOG_LEVEL as "INFO" | "DEBUG" | "WARN" | "ERROR" | undefined) ?? "INFO",
});
