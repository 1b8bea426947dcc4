/* ncursesw with wide characters, and the macros Swift cannot import as functions. */
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>
extern int wcwidth(wchar_t c); /* glibc hides it behind __USE_XOPEN */
static inline WINDOW *shim_stdscr(void) { return stdscr; }
static inline attr_t shim_A_NORMAL(void) { return A_NORMAL; }
static inline attr_t shim_A_BOLD(void) { return A_BOLD; }
static inline attr_t shim_A_REVERSE(void) { return A_REVERSE; }
static inline attr_t shim_A_DIM(void) { return A_DIM; }
static inline attr_t shim_A_UNDERLINE(void) { return A_UNDERLINE; }
static inline int shim_KEY_F(int n) { return KEY_F(n); }
static inline void shim_getmaxyx(WINDOW *w, int *y, int *x) { getmaxyx(w, *y, *x); }
static inline int shim_colors(void) { return COLORS; }
static inline unsigned long shim_BUTTON1_CLICKED(void) { return BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED; }
static inline unsigned long shim_BUTTON4_PRESSED(void) { return BUTTON4_PRESSED; }
static inline unsigned long shim_BUTTON5_PRESSED(void) { return BUTTON5_PRESSED; }
static inline unsigned long shim_BUTTON1_PRESSED(void) { return BUTTON1_PRESSED; }
