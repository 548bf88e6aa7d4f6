export * from "./fee";
