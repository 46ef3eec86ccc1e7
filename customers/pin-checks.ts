/**
 * What the pin checks expect of a pinned version (the release catalog, a runtime contract, a
 * contract on the file's cloud). `upgrades plan` treats exactly these as one environment's
 * problem and plans the rest of the fleet; every other issue on a version field stops it.
 */
export const pinExpected = {
  inCatalog: (component: string) => `a ${component} version from the release catalog`,
  withContract: (component: string) => `a ${component} version with a runtime contract`,
  onCloud: (component: string, cloud: string) => `a ${component} version that runs on ${cloud}`,
};

const PIN_CHECK = /^a [a-z-]+ version (from the release catalog|with a runtime contract|that runs on [a-z]+)$/;

/** Whether an issue's `expected` is one of the pin checks above. */
export const isPinCheck = (expected: string): boolean => PIN_CHECK.test(expected);
