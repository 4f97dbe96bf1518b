/** Leader election on a Lease (JOSDK) and the leader epoch used to fence snapshot writes. */
package dev.tollgate.operator.leader;
