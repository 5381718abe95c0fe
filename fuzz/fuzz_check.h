#pragma once
// Shared by the libFuzzer targets: an invariant that must hold for every input. A broken one
// aborts, so libFuzzer saves the input as a crash artifact (then: a corpus file, a unit test, a
// fix).
#include "model/tick.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::fprintf(stderr, "fuzz invariant broken at %s:%d: %s\n", __FILE__, __LINE__,       \
                         #cond);                                                                   \
            std::abort();                                                                          \
        }                                                                                          \
    } while (0)

namespace ms::fuzz {

// What every tick handed to the pipeline must satisfy, whoever made it: the decoder accepts its
// encoding and gives back the same tick (else the consumer dead-letters every one of them).
void checkTickInvariants(const Tick &t);

} // namespace ms::fuzz
