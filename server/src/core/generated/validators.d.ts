// Types of the validators esbuild.mjs generates from schemas/ with ajv's standalone code
// (validators.js is a build output, git-ignored): no schema compilation and no eval at run time.
import type { ValidateFunction } from 'ajv';

export declare const agentEvent: ValidateFunction;
export declare const contactRecord: ValidateFunction;
export declare const contactEvent: ValidateFunction;
export declare const flowLog: ValidateFunction;
export declare const apiContact: ValidateFunction;
