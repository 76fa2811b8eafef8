#ifndef HEKA_CSQLITE_SHIM_H
#define HEKA_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
