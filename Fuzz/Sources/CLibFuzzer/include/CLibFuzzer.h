#ifndef SHRIKE_CLIBFUZZER_H
#define SHRIKE_CLIBFUZZER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's own mutator, for custom mutators that mutate a decoded form of the input (LibFuzzer.html,
/// "structure-aware fuzzing"). Defined by the libFuzzer runtime that -sanitize=fuzzer links in.
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

#endif
