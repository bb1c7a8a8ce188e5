/* Rows as C structs: which structs are rows, their layouts in the codes,
 * and why the others skip their functions (ABI.md "Rows as structs"). */
#include <stdbool.h>
#include <stdint.h>
#include <tmebox.h>

typedef struct point { int32_t x; double y; tmebox_buf *label; bool x_isnull, y_isnull, label_isnull; } point;
typedef struct point_rows { uint32_t n, _pad; point v[]; } point_rows;
/* flags first, other scalar types */
struct mixed { bool b_isnull, s_isnull, f_isnull, l_isnull; bool b; int16_t s; float f; int64_t l; };
struct noflag { int32_t x; };
struct nested { point p; bool p_isnull; };
struct node { int32_t v; struct node *next; bool v_isnull, next_isnull; };
struct bits { int32_t x : 3; bool x_isnull; };
struct chars { char *s; bool s_isnull; };
struct empty_row { bool x_isnull; };
/* numeric and interval members: pointers, like a tmebox_buf; jsonb's
 * binary form is an argument's alone, no member */
struct priced { int32_t id; tmebox_numeric *price; const tmebox_interval *span; bool id_isnull, price_isnull, span_isnull; };
struct jrow { const tmebox_jsonb *j; bool j_isnull; };
/* nested rows: a struct member (struct nested, above) is one, its members
 * at their offsets in the outer struct; every level needs its flags; at
 * most TMEBOX_STRUCT_MAX_DEPTH (8) levels; a union is no row */
struct inner_noflag { int32_t x; };
struct nest_noflag { struct inner_noflag i; bool i_isnull; };
struct two { int32_t k; struct nested n; bool n_isnull, k_isnull; };
struct with_union { union { int32_t a; float f; } u; bool u_isnull; };
struct d1 { int32_t x; bool x_isnull; };
#define DEEPER(n, m) struct d##n { struct d##m s; bool s_isnull; };
DEEPER(2, 1) DEEPER(3, 2) DEEPER(4, 3) DEEPER(5, 4) DEEPER(6, 5) DEEPER(7, 6) DEEPER(8, 7)
DEEPER(9, 8) DEEPER(10, 9)

point *ident(const point *p) { return (point *) p; }
point_rows *many(int32_t n, const struct mixed *m) { (void) n; (void) m; return 0; }
int64_t mix(struct mixed *m) { return m->l; }
int32_t f_noflag(const struct noflag *r) { return r->x; }
int32_t f_nested(const struct nested *r) { return r->p.x; }
int32_t f_node(const struct node *r) { return r->v; }
int32_t f_bits(const struct bits *r) { return r->x; }
int32_t f_chars(const struct chars *r) { return r->s[0]; }
int32_t f_empty(const struct empty_row *r) { return r->x_isnull; }
int32_t f_set_arg(const point_rows *r) { return (int32_t) r->n; }
struct priced *reprice(const struct priced *p) { return (struct priced *) p; }
int32_t f_jsonb(const struct jrow *r) { return r->j_isnull; }
int32_t f_nest_noflag(const struct nest_noflag *r) { return r->i.x; }
struct two *f_two(const struct two *r) { return (struct two *) r; }
int32_t f_union(const struct with_union *r) { return r->u.a; }
int32_t f_d9(const struct d9 *r) { return r->s.s.s.s.s.s.s.s.x; }
int32_t f_d10(const struct d10 *r) { return r->s.s.s.s.s.s.s.s.s.x; }
