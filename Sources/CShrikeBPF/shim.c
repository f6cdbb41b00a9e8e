// CShrikeBPF exists for its header (include/shrike_event.h); SwiftPM needs one source file to build a C target.
#include "shrike_event.h"
