// libcmark-gfm: cmark with GitHub's extensions (tables, strikethrough, autolinks).
// Plain libcmark 0.30 has no table syntax, which the lessons need.
#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
