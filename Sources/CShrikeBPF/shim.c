// CShrikeBPF exists for its headers (include/shrike_event.h, include/shrike_enforce.h); SwiftPM needs one source file
// to build a C target.
#include "shrike_event.h"
#include "shrike_enforce.h"
