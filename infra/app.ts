import { buildApp } from "./build-app";

// Run by the CDK CLI (cdk.json "app"); the CLI's CDK_OUTDIR makes the app synthesize itself.
buildApp();
