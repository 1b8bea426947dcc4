// Parquet's page codecs (Debian: libsnappy-dev, zlib1g-dev, libzstd-dev): snappy's C API, zlib and zstd.
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>
