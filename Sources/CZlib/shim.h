#ifndef HEKA_CZLIB_SHIM_H
#define HEKA_CZLIB_SHIM_H
#include <zlib.h>
#endif
