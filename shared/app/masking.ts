import type { ApplicationInput } from "../schemas/application";
import { maskAddress, maskEmail, maskIdNumber, maskName, maskPhone } from "../domain/identity";

/** The application with the applicant's personal data masked, for roles that do not handle it. */
export function maskApplication(application: ApplicationInput): ApplicationInput {
  const masked: Record<string, unknown> = { ...application };
  // an organisation's name is public; only a person's name is personal data
  if (application.applicantType === "natural_person") masked.name = maskName(application.name);
  masked.phone = maskPhone(application.phone);
  masked.address = maskAddress(application.address);
  masked.postalCode = "******";
  if (application.email) masked.email = maskEmail(application.email);
  if ("idNumber" in application && typeof application.idNumber === "string") masked.idNumber = maskIdNumber(application.idNumber);
  // an organisation's contact person is a natural person
  if ("contactPerson" in application && typeof application.contactPerson === "string") masked.contactPerson = maskName(application.contactPerson);
  if ("legalRepresentative" in application && typeof application.legalRepresentative === "string") {
    masked.legalRepresentative = maskName(application.legalRepresentative);
  }
  return masked as ApplicationInput;
}
