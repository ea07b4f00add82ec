import type { SdkOracle } from '../subject.js';

export const alpacaSdkOracle: SdkOracle | undefined = undefined;
