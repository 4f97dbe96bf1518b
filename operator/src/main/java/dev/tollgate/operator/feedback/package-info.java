/**
 * What the gateways report in their feedback hash (the version each live pod serves, the resources
 * it left out) and the counts of the {@code Programmed} message taken from it. The poller that
 * reads it periodically feeds the snapshot's bookkeeping and so lives in the snapshot package.
 */
package dev.tollgate.operator.feedback;
