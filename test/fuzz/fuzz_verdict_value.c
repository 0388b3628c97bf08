/*
 * fuzz_verdict_value.c: target "verdict_value", verdicts of the engine's shape
 * printed and read back.  The harness is fuzz_verdict.c; see there.
 */
#define VERDICT_VALUE_TARGET
#include "fuzz_verdict.c"
