// libxml2 (Debian: libxml2-dev), for the report tests: XML parsing, XSD validation, HTML parsing.
#ifndef CORS_HARNESS_CLIBXML2_SHIM_H
#define CORS_HARNESS_CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
// Debian's libxml2 is built with ICU, so <libxml/encoding.h> would include the system's
// <unicode/ucnv.h>, whose enums clash with the ICU copy Foundation ships (_FoundationICU). The
// ICU part only adds two pointers at the end of xmlCharEncodingHandler, a struct the tests only
// ever hold by pointer, so leave it out.
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/HTMLparser.h>

// `xmlFree` is a global function pointer, which Swift 6 will not touch from concurrent code.
static inline void cors_xmlFree(void *p) { xmlFree(p); }

#endif
