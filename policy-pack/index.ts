// The pack's entry point for the Pulumi CLI: it only constructs the PolicyPack, which starts the
// analyzer's gRPC server. Everything else (tests, the offline plan) imports ./policies instead.
import { PolicyPack } from "@pulumi/policy";
import { PACK, policies } from "./policies";

new PolicyPack(PACK.name, { ...PACK.args, policies });
