/*-------------------------------------------------------------------------
 *
 * demo_native.c
 *		The demo's LANGUAGE C twin of the tmebox function `haversine`: the
 *		same C computation, called the ordinary, unsandboxed way, so the
 *		demo can time both side by side.  Built and installed by
 *		tmebox-dev.sh demo only (not part of the extension).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(native_haversine);

/* Great-circle distance in km between two (lat, lon) points in degrees. */
static double
haversine(double lat1, double lon1, double lat2, double lon2)
{
	const double r = 6371.0088;
	const double rad = M_PI / 180.0;
	double		dlat = (lat2 - lat1) * rad;
	double		dlon = (lon2 - lon1) * rad;
	double		a = sin(dlat / 2) * sin(dlat / 2) +
		cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);

	return 2 * r * asin(sqrt(a));
}

Datum
native_haversine(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(haversine(PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1),
							   PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3)));
}
