import type { Role } from "../roles";

/** A field a staff member fills in when completing a task (rendered as a form, validated at the edge). */
export interface OutcomeField {
  name: string;
  type: "date" | "text" | "choice";
  label: string;
  required: boolean;
  choices?: Array<{ value: string; label: string }>;
  maxLength?: number;
}

export interface OutcomeDefinition {
  outcome: string;
  label: string;
  fields: OutcomeField[];
}

export interface StepDefinition {
  step: string;
  /** the role whose members work the task */
  role: Role;
  title: string;
  /** working days from the day the task opens */
  periodWorkingDays: number;
  outcomes: OutcomeDefinition[];
  /** who hears about it, in order, each time the task passes its due moment */
  escalateTo: Role[];
}

export interface WorkflowDefinition {
  workflow: string;
  label: string;
  steps: Record<string, StepDefinition>;
}
