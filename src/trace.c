// SPDX-License-Identifier: GPL-2.0
/* The one place the vmxhv tracepoints are instantiated. */
#define CREATE_TRACE_POINTS
#include "vmxhv_trace.h"
