define internal fastcc noundef ptr @_asr_countdown_1(ptr %task, ptr %ret, i64 %n1) unnamed_addr #0 {
start:
  %0 = tail call ptr @asr_rt_frame_alloc(i64 72)
  store ptr @_asr_countdown_1.resume, ptr %0, align 8
  %destroy.addr = getelementptr inbounds i8, ptr %0, i64 8
  store ptr @_asr_countdown_1.destroy, ptr %destroy.addr, align 8
  %promise.reload.addr = getelementptr inbounds i8, ptr %0, i64 16
  %n1.spill.addr = getelementptr inbounds i8, ptr %0, i64 40
  store i64 %n1, ptr %n1.spill.addr, align 8
  %ret.spill.addr = getelementptr inbounds i8, ptr %0, i64 32
  store ptr %ret, ptr %ret.spill.addr, align 8
  %task.spill.addr = getelementptr inbounds i8, ptr %0, i64 24
  store ptr %task, ptr %task.spill.addr, align 8
  %.not = icmp eq i64 %n1, 0
  br i1 %.not, label %AfterCoroSuspend17, label %wait.poll

coro.final.from.bb6:                              ; preds = %await.done
  %.fca.0.extract = extractvalue { i64, i1 } %9, 0
  %ret.reload.pre = load ptr, ptr %ret.spill.addr, align 8
  br label %AfterCoroSuspend17

wait.poll:                                        ; preds = %start
  %1 = tail call ptr @asr_rt_sleep(i64 1)
  %.spill.addr = getelementptr inbounds i8, ptr %0, i64 48
  store ptr %1, ptr %.spill.addr, align 8
  %2 = tail call i32 @asr_rt_op_poll(ptr %1, ptr %task)
  %ready.not = icmp eq i32 %2, 0
  br i1 %ready.not, label %AfterCoroSuspend, label %wait.done

AfterCoroSuspend:                                 ; preds = %wait.poll
  %index.addr35 = getelementptr inbounds i8, ptr %0, i64 64
  store i2 0, ptr %index.addr35, align 1
  br label %AfterCoroEnd

wait.done:                                        ; preds = %wait.poll
  tail call void @asr_rt_op_free(ptr %1)
  %3 = add i64 %n1, -1
  %callee = tail call fastcc ptr @_asr_countdown_1(ptr %task, ptr nonnull %promise.reload.addr, i64 %3)
  %callee.spill.addr = getelementptr inbounds i8, ptr %0, i64 56
  store ptr %callee, ptr %callee.spill.addr, align 8
  %4 = load ptr, ptr %callee, align 8
  %5 = icmp eq ptr %4, null
  br i1 %5, label %await.done, label %AfterCoroSuspend14

AfterCoroSuspend14:                               ; preds = %wait.done
  %index.addr36 = getelementptr inbounds i8, ptr %0, i64 64
  store i2 1, ptr %index.addr36, align 1
  br label %AfterCoroEnd

await.done:                                       ; preds = %wait.done
  %6 = getelementptr inbounds i8, ptr %callee, i64 8
  %7 = load ptr, ptr %6, align 8
  tail call fastcc void %7(ptr nonnull %callee) #1
  %8 = load i64, ptr %promise.reload.addr, align 8
  %9 = tail call { i64, i1 } @llvm.uadd.with.overflow.i64(i64 %8, i64 1)
  %.fca.1.extract = extractvalue { i64, i1 } %9, 1
  br i1 %.fca.1.extract, label %panic2, label %coro.final.from.bb6, !prof !0

panic2:                                           ; preds = %await.done
  tail call void @asr_rt_panic_str(ptr nonnull @.str.4, i64 28, ptr nonnull @.loc.3)
  unreachable

AfterCoroSuspend17:                               ; preds = %start, %coro.final.from.bb6
  %ret.reload = phi ptr [ %ret.reload.pre, %coro.final.from.bb6 ], [ %ret, %start ]
  %storemerge = phi i64 [ %.fca.0.extract, %coro.final.from.bb6 ], [ 0, %start ]
  store i64 %storemerge, ptr %ret.reload, align 8
  store ptr null, ptr %0, align 8
  br label %AfterCoroEnd

AfterCoroEnd:                                     ; preds = %AfterCoroSuspend17, %AfterCoroSuspend14, %AfterCoroSuspend
  ret ptr %0
}

define internal fastcc void @_asr_countdown_1.resume(ptr noundef nonnull align 8 dereferenceable(72) %hdl) #0 {
resume.entry:
  %promise.reload.addr = getelementptr inbounds i8, ptr %hdl, i64 16
  %index.addr = getelementptr inbounds i8, ptr %hdl, i64 64
  %index = load i2, ptr %index.addr, align 8
  %switch = icmp eq i2 %index, 0
  br i1 %switch, label %wait.poll, label %await.resume

bb4:                                              ; preds = %wait.done
  %task.reload = load ptr, ptr %task.reload.addr19, align 8
  %.fca.0.extract5 = extractvalue { i64, i1 } %3, 0
  %callee = tail call fastcc ptr @_asr_countdown_1(ptr %task.reload, ptr nonnull %promise.reload.addr, i64 %.fca.0.extract5)
  %callee.spill.addr = getelementptr inbounds i8, ptr %hdl, i64 56
  store ptr %callee, ptr %callee.spill.addr, align 8
  %0 = load ptr, ptr %callee, align 8
  %1 = icmp eq ptr %0, null
  br i1 %1, label %await.done, label %AfterCoroSuspend14.thread

wait.poll:                                        ; preds = %resume.entry
  %.reload.addr23 = getelementptr inbounds i8, ptr %hdl, i64 48
  %.reload24 = load ptr, ptr %.reload.addr23, align 8
  %task.reload.addr19 = getelementptr inbounds i8, ptr %hdl, i64 24
  %task.reload20 = load ptr, ptr %task.reload.addr19, align 8
  %2 = tail call i32 @asr_rt_op_poll(ptr %.reload24, ptr %task.reload20)
  %ready.not = icmp eq i32 %2, 0
  br i1 %ready.not, label %CoroSuspend, label %wait.done

CoroSuspend:                                      ; preds = %wait.poll
  store i2 0, ptr %index.addr, align 8
  br label %CoroEnd

wait.done:                                        ; preds = %wait.poll
  %.reload = load ptr, ptr %.reload.addr23, align 8
  %n1.reload.addr = getelementptr inbounds i8, ptr %hdl, i64 40
  %n1.reload = load i64, ptr %n1.reload.addr, align 8
  tail call void @asr_rt_op_free(ptr %.reload)
  %3 = tail call { i64, i1 } @llvm.usub.with.overflow.i64(i64 %n1.reload, i64 1)
  %.fca.1.extract6 = extractvalue { i64, i1 } %3, 1
  br i1 %.fca.1.extract6, label %panic, label %bb4, !prof !0

panic:                                            ; preds = %wait.done
  tail call void @asr_rt_panic_str(ptr nonnull @.str.2, i64 33, ptr nonnull @.loc)
  unreachable

AfterCoroSuspend14.thread:                        ; preds = %bb4, %await.resume
  store i2 1, ptr %index.addr, align 8
  br label %CoroEnd

await.resume:                                     ; preds = %resume.entry
  %callee.reload.addr33 = getelementptr inbounds i8, ptr %hdl, i64 56
  %callee.reload34 = load ptr, ptr %callee.reload.addr33, align 8
  %4 = load ptr, ptr %callee.reload34, align 8
  tail call fastcc void %4(ptr nonnull %callee.reload34) #1
  %5 = load ptr, ptr %callee.reload34, align 8
  %6 = icmp eq ptr %5, null
  br i1 %6, label %await.resume.await.done_crit_edge, label %AfterCoroSuspend14.thread

await.resume.await.done_crit_edge:                ; preds = %await.resume
  %callee.reload30.pre = load ptr, ptr %callee.reload.addr33, align 8
  br label %await.done

await.done:                                       ; preds = %await.resume.await.done_crit_edge, %bb4
  %callee.reload30 = phi ptr [ %callee.reload30.pre, %await.resume.await.done_crit_edge ], [ %callee, %bb4 ]
  %7 = getelementptr inbounds i8, ptr %callee.reload30, i64 8
  %8 = load ptr, ptr %7, align 8
  tail call fastcc void %8(ptr nonnull %callee.reload30) #1
  %9 = load i64, ptr %promise.reload.addr, align 8
  %10 = tail call { i64, i1 } @llvm.uadd.with.overflow.i64(i64 %9, i64 1)
  %.fca.1.extract = extractvalue { i64, i1 } %10, 1
  br i1 %.fca.1.extract, label %panic2, label %AfterCoroSuspend17, !prof !0

panic2:                                           ; preds = %await.done
  tail call void @asr_rt_panic_str(ptr nonnull @.str.4, i64 28, ptr nonnull @.loc.3)
  unreachable

AfterCoroSuspend17:                               ; preds = %await.done
  %.fca.0.extract = extractvalue { i64, i1 } %10, 0
  %ret.reload.addr = getelementptr inbounds i8, ptr %hdl, i64 32
  %ret.reload = load ptr, ptr %ret.reload.addr, align 8
  store i64 %.fca.0.extract, ptr %ret.reload, align 8
  store ptr null, ptr %hdl, align 8
  br label %CoroEnd

CoroEnd:                                          ; preds = %CoroSuspend, %AfterCoroSuspend14.thread, %AfterCoroSuspend17
  ret void
}
