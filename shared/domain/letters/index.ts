export { composeLetter, formatChineseDate, groundLabel, letterTitle } from "./compose";
export { letterKinds, replyLetterKind } from "./kinds";
export type { LetterKind } from "./kinds";
export type { LetterBlock, LetterContext, LetterData, LetterDocument } from "./types";
export { groundText } from "./grounds";
export type { GroundText } from "./grounds";
export { closingFormula, letterLines, letterText, listItemLabel } from "./text";
export type { LetterLine } from "./text";
