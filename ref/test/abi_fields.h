/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * ref/test/abi_fields.h - the struct fields the ABI cross-check compares.
 *
 * An X-macro list, deliberately without an include guard: abi_values_ref.c
 * and abi_values_sys.c each include it once per table, with
 *   F(struct, field)  a field: offset and size
 *   A(struct, field)  a trailing flexible or zero-length array: offset only
 *                     (sizeof is not defined for a flexible array member)
 *   S(struct)         the struct: its size
 * defined to build that table, so both sides compile the same list.
 *
 * The list is every field of these structs in the oldest <linux/io_uring.h>
 * we build against (Linux 6.1 uapi, Debian bookworm) whose name ref/abi.h
 * also uses for the same bytes. Left out, renamed since 6.1:
 * io_{sq,cq}ring_offsets.resv2 (now user_addr), io_uring_buf_reg.pad (now
 * flags), io_uring_getevents_arg.pad (now min_wait_usec), and
 * io_uring_sync_cancel_reg.pad (now opcode, pad[7] and pad2[3]; the name
 * survives on a smaller field). Their bytes are still covered by the
 * neighbouring offsets and the struct sizes.
 */

S(io_uring_sqe)
F(io_uring_sqe, opcode)
F(io_uring_sqe, flags)
F(io_uring_sqe, ioprio)
F(io_uring_sqe, fd)
F(io_uring_sqe, off)
F(io_uring_sqe, addr2)
F(io_uring_sqe, cmd_op)
F(io_uring_sqe, __pad1)
F(io_uring_sqe, addr)
F(io_uring_sqe, splice_off_in)
F(io_uring_sqe, len)
F(io_uring_sqe, rw_flags)
F(io_uring_sqe, fsync_flags)
F(io_uring_sqe, poll_events)
F(io_uring_sqe, poll32_events)
F(io_uring_sqe, sync_range_flags)
F(io_uring_sqe, msg_flags)
F(io_uring_sqe, timeout_flags)
F(io_uring_sqe, accept_flags)
F(io_uring_sqe, cancel_flags)
F(io_uring_sqe, open_flags)
F(io_uring_sqe, statx_flags)
F(io_uring_sqe, fadvise_advice)
F(io_uring_sqe, splice_flags)
F(io_uring_sqe, rename_flags)
F(io_uring_sqe, unlink_flags)
F(io_uring_sqe, hardlink_flags)
F(io_uring_sqe, xattr_flags)
F(io_uring_sqe, msg_ring_flags)
F(io_uring_sqe, uring_cmd_flags)
F(io_uring_sqe, user_data)
F(io_uring_sqe, buf_index)
F(io_uring_sqe, buf_group)
F(io_uring_sqe, personality)
F(io_uring_sqe, splice_fd_in)
F(io_uring_sqe, file_index)
F(io_uring_sqe, addr_len)
F(io_uring_sqe, __pad3)
F(io_uring_sqe, addr3)
F(io_uring_sqe, __pad2)
A(io_uring_sqe, cmd)

S(io_uring_cqe)
F(io_uring_cqe, user_data)
F(io_uring_cqe, res)
F(io_uring_cqe, flags)
A(io_uring_cqe, big_cqe)

S(io_sqring_offsets)
F(io_sqring_offsets, head)
F(io_sqring_offsets, tail)
F(io_sqring_offsets, ring_mask)
F(io_sqring_offsets, ring_entries)
F(io_sqring_offsets, flags)
F(io_sqring_offsets, dropped)
F(io_sqring_offsets, array)
F(io_sqring_offsets, resv1)

S(io_cqring_offsets)
F(io_cqring_offsets, head)
F(io_cqring_offsets, tail)
F(io_cqring_offsets, ring_mask)
F(io_cqring_offsets, ring_entries)
F(io_cqring_offsets, overflow)
F(io_cqring_offsets, cqes)
F(io_cqring_offsets, flags)
F(io_cqring_offsets, resv1)

S(io_uring_params)
F(io_uring_params, sq_entries)
F(io_uring_params, cq_entries)
F(io_uring_params, flags)
F(io_uring_params, sq_thread_cpu)
F(io_uring_params, sq_thread_idle)
F(io_uring_params, features)
F(io_uring_params, wq_fd)
F(io_uring_params, resv)
F(io_uring_params, sq_off)
F(io_uring_params, cq_off)

S(io_uring_files_update)
F(io_uring_files_update, offset)
F(io_uring_files_update, resv)
F(io_uring_files_update, fds)

S(io_uring_rsrc_register)
F(io_uring_rsrc_register, nr)
F(io_uring_rsrc_register, flags)
F(io_uring_rsrc_register, resv2)
F(io_uring_rsrc_register, data)
F(io_uring_rsrc_register, tags)

S(io_uring_rsrc_update)
F(io_uring_rsrc_update, offset)
F(io_uring_rsrc_update, resv)
F(io_uring_rsrc_update, data)

S(io_uring_rsrc_update2)
F(io_uring_rsrc_update2, offset)
F(io_uring_rsrc_update2, resv)
F(io_uring_rsrc_update2, data)
F(io_uring_rsrc_update2, tags)
F(io_uring_rsrc_update2, nr)
F(io_uring_rsrc_update2, resv2)

S(io_uring_probe_op)
F(io_uring_probe_op, op)
F(io_uring_probe_op, resv)
F(io_uring_probe_op, flags)
F(io_uring_probe_op, resv2)

S(io_uring_probe)
F(io_uring_probe, last_op)
F(io_uring_probe, ops_len)
F(io_uring_probe, resv)
F(io_uring_probe, resv2)
A(io_uring_probe, ops)

S(io_uring_restriction)
F(io_uring_restriction, opcode)
F(io_uring_restriction, register_op)
F(io_uring_restriction, sqe_op)
F(io_uring_restriction, sqe_flags)
F(io_uring_restriction, resv)
F(io_uring_restriction, resv2)

S(io_uring_buf)
F(io_uring_buf, addr)
F(io_uring_buf, len)
F(io_uring_buf, bid)
F(io_uring_buf, resv)

S(io_uring_buf_ring)
F(io_uring_buf_ring, resv1)
F(io_uring_buf_ring, resv2)
F(io_uring_buf_ring, resv3)
F(io_uring_buf_ring, tail)
A(io_uring_buf_ring, bufs)

S(io_uring_buf_reg)
F(io_uring_buf_reg, ring_addr)
F(io_uring_buf_reg, ring_entries)
F(io_uring_buf_reg, bgid)
F(io_uring_buf_reg, resv)

S(io_uring_getevents_arg)
F(io_uring_getevents_arg, sigmask)
F(io_uring_getevents_arg, sigmask_sz)
F(io_uring_getevents_arg, ts)

S(io_uring_sync_cancel_reg)
F(io_uring_sync_cancel_reg, addr)
F(io_uring_sync_cancel_reg, fd)
F(io_uring_sync_cancel_reg, flags)
F(io_uring_sync_cancel_reg, timeout)

S(io_uring_file_index_range)
F(io_uring_file_index_range, off)
F(io_uring_file_index_range, len)
F(io_uring_file_index_range, resv)

S(io_uring_recvmsg_out)
F(io_uring_recvmsg_out, namelen)
F(io_uring_recvmsg_out, controllen)
F(io_uring_recvmsg_out, payloadlen)
F(io_uring_recvmsg_out, flags)
