/* A header found through -I (incdir.args). */
#define SCALE 3
