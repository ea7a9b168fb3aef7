// Types of the validators esbuild.mjs generates from schemas/ with ajv's standalone code
// (validators.js is a build output, git-ignored): no schema compilation and no eval at run time.
import type { ValidateFunction } from 'ajv';

export declare const agentEvent: ValidateFunction;
/** agentEvent, with any snapshot Configuration accepted (checked on its own: sharedParts.ts). */
export declare const agentEventSharedConfiguration: ValidateFunction;
/** The agent event's Configuration sub-schema alone. */
export declare const agentEventConfiguration: ValidateFunction;
export declare const contactRecord: ValidateFunction;
export declare const contactEvent: ValidateFunction;
export declare const flowLog: ValidateFunction;
export declare const apiContact: ValidateFunction;
