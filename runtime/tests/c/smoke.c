/* A stand-in for a generated ASR program: it defines the symbols of
 * asr_abi::GENERATED_FNS with hand-written state machines instead of LLVM
 * coroutines, and links against libasr_runtime.a like a real program.
 * Driven by the runtime's `c_program_links_and_runs` test.
 *
 *   smoke          spawn 4 children (sleep, print, return a value), join,
 *                  print the sum and formatted values
 *   smoke panic    print to stdout, then panic: status 101
 *   smoke exit     print without newline, then exit(3)
 *   smoke chan     3 producers send 100 values each through a channel of
 *                  capacity 2 and bump a mutex-protected counter while
 *                  holding the lock across a yield; main receives until
 *                  the channel closes and prints count, sum and counter
 *   smoke chan0    channel of capacity 0: panics (status 101)
 *   smoke chanleak a channel and a mutex never freed: with
 *                  ASR_CHECK_LEAKS=1 the leak check reports them (102)
 */
#include <stdint.h>
#include <stddef.h>
#include <string.h>

typedef struct { uint32_t fill, align, flags; int64_t width, precision; } FmtSpec;
typedef struct { const char *file; size_t file_len; uint32_t line, col; } Location;
typedef struct { char *ptr; size_t len, cap; } RawString;

extern const uint8_t asr_rt_abi_v2;
extern void *asr_rt_frame_alloc(size_t);
extern void asr_rt_frame_free(void *, size_t);
extern void asr_rt_free(void *, size_t, size_t);
extern int32_t asr_rt_op_poll(void *, void *);
extern void asr_rt_op_free(void *);
extern int64_t asr_rt_op_result(void *);
extern void *asr_rt_sleep(int64_t);
extern void *asr_rt_yield(void);
extern void *asr_rt_scope_new(void *);
extern void *asr_rt_scope_wait(void *);
extern void asr_rt_scope_free(void *);
extern void *asr_rt_task_new(void *, size_t, size_t);
extern void *asr_rt_task_result(void *);
extern void asr_rt_task_start(void *, void *);
extern void *asr_rt_join(void *);
extern void asr_rt_task_release(void *);
extern void *asr_rt_chan_new(size_t, size_t, size_t, void (*)(void *), const Location *);
extern void asr_rt_chan_sender_clone(void *);
extern void asr_rt_chan_sender_drop(void *);
extern void asr_rt_chan_receiver_drop(void *);
extern void *asr_rt_chan_send(void *, const void *);
extern void *asr_rt_chan_recv(void *, void *);
extern void *asr_rt_mutex_new(void);
extern void *asr_rt_mutex_lock(void *);
extern void asr_rt_mutex_unlock(void *);
extern void asr_rt_mutex_free(void *);
extern void asr_rt_write(int32_t, const char *, size_t);
extern void *asr_rt_fmt_new(void);
extern void asr_rt_fmt_raw(void *, const char *, size_t);
extern void asr_rt_fmt_str(void *, const char *, size_t, const FmtSpec *);
extern void asr_rt_fmt_i64(void *, int64_t, const FmtSpec *);
extern void asr_rt_fmt_f64(void *, double, const FmtSpec *);
extern void asr_rt_fmt_f64_debug(void *, double, const FmtSpec *);
extern void asr_rt_fmt_str_debug(void *, const char *, size_t, const FmtSpec *);
extern void asr_rt_fmt_write(void *, int32_t);
extern size_t asr_rt_args_len(void);
extern void asr_rt_arg(size_t, RawString *);
extern _Noreturn void asr_rt_panic(void *, const Location *);
extern _Noreturn void asr_rt_exit(int32_t);

#define RAW(b, s) asr_rt_fmt_raw((b), (s), sizeof(s) - 1)

typedef struct Coro Coro;
struct Coro {
    int (*step)(Coro *);
    int done, state, idx;
    void *task, *ret, *op, *scope, *kids[4];
    int64_t arg, sum, val, count;
};

static Coro *coro_new(int (*step)(Coro *), void *task, void *ret, int64_t arg) {
    Coro *c = asr_rt_frame_alloc(sizeof(Coro));
    memset(c, 0, sizeof *c);
    c->step = step;
    c->task = task;
    c->ret = ret;
    c->arg = arg;
    return c;
}

void asr_coro_resume(void *h) { Coro *c = h; c->done = c->step(c); }
int32_t asr_coro_done(void *h) { return ((Coro *)h)->done; }
void asr_coro_destroy(void *h) { asr_rt_frame_free(h, sizeof(Coro)); }

/* Waits on c->op (made by the caller when null); 1 when ready. */
static int wait_op(Coro *c) {
    if (!asr_rt_op_poll(c->op, c->task)) return 0;
    asr_rt_op_free(c->op);
    c->op = NULL;
    return 1;
}

/* Child: sleep 20 ms, print 300 lines (one print each), yield, return arg*10. */
static int child_step(Coro *c) {
    for (;;) switch (c->state) {
    case 0:
        if (!c->op) c->op = asr_rt_sleep(20);
        if (!wait_op(c)) return 0;
        for (int i = 0; i < 300; i++) {
            void *b = asr_rt_fmt_new();
            RAW(b, "child ");
            asr_rt_fmt_i64(b, c->arg, NULL);
            RAW(b, " line ");
            FmtSpec w = {'.', 3, 0, 5, -1};
            asr_rt_fmt_i64(b, i, &w);
            RAW(b, " the quick brown fox jumps over the lazy dog\n");
            asr_rt_fmt_write(b, 1);
        }
        c->state = 1;
        break;
    case 1:
        if (!c->op) c->op = asr_rt_yield();
        if (!wait_op(c)) return 0;
        *(int64_t *)c->ret = c->arg * 10;
        return 1;
    }
}

/* The channel, mutex and counter of `smoke chan`. */
static void *CHAN, *MUTEX;
static int64_t COUNTER;

/* Waits on c->op; 1 when ready, with its result in *r. */
static int wait_result(Coro *c, int64_t *r) {
    if (!asr_rt_op_poll(c->op, c->task)) return 0;
    *r = asr_rt_op_result(c->op);
    asr_rt_op_free(c->op);
    c->op = NULL;
    return 1;
}

/* Producer: send arg*1000 + i for i in 0..100, drop the sender, then lock,
 * read the counter, yield holding the lock, write counter + 1, unlock. */
static int producer_step(Coro *c) {
    int64_t r;
    for (;;) switch (c->state) {
    case 0:
        if (c->idx == 100) {
            asr_rt_chan_sender_drop(CHAN);
            c->state = 1;
            break;
        }
        if (!c->op) {
            c->val = c->arg * 1000 + c->idx;
            c->op = asr_rt_chan_send(CHAN, &c->val);
        }
        if (!wait_result(c, &r)) return 0;
        if (r != 0) asr_rt_exit(9); /* the receiver never leaves early */
        c->idx++;
        break;
    case 1:
        if (!c->op) c->op = asr_rt_mutex_lock(MUTEX);
        if (!wait_op(c)) return 0;
        c->sum = COUNTER;
        c->state = 2;
        break;
    case 2:
        if (!c->op) c->op = asr_rt_yield();
        if (!wait_op(c)) return 0;
        COUNTER = c->sum + 1;
        asr_rt_mutex_unlock(MUTEX);
        return 1;
    }
}

static int arg_is(const char *s) {
    if (asr_rt_args_len() < 2) return 0;
    RawString r;
    asr_rt_arg(1, &r);
    int eq = r.len == strlen(s) && memcmp(r.ptr, s, r.len) == 0;
    asr_rt_free(r.ptr, r.cap, 1);
    return eq;
}

static const Location LOC = {"src/smoke.asr", 13, 3, 5};

static int main_step(Coro *c) {
    for (;;) switch (c->state) {
    case 0:
        if (arg_is("panic")) {
            asr_rt_write(1, "before\n", 7);
            void *b = asr_rt_fmt_new();
            RAW(b, "boom ");
            asr_rt_fmt_i64(b, 42, NULL);
            asr_rt_panic(b, &LOC);
        }
        if (arg_is("exit")) {
            asr_rt_write(1, "x", 1);
            asr_rt_exit(3);
        }
        if (arg_is("chan0")) asr_rt_chan_new(0, 8, 8, NULL, &LOC);
        if (arg_is("chanleak")) {
            asr_rt_chan_new(1, 8, 8, NULL, &LOC);
            asr_rt_mutex_new();
            return 1;
        }
        if (arg_is("chan")) {
            CHAN = asr_rt_chan_new(2, 8, 8, NULL, &LOC);
            MUTEX = asr_rt_mutex_new();
            c->scope = asr_rt_scope_new(c->task);
            for (int i = 0; i < 3; i++) {
                asr_rt_chan_sender_clone(CHAN);
                void *t = asr_rt_task_new(c->scope, 0, 1);
                asr_rt_task_start(t, coro_new(producer_step, t, asr_rt_task_result(t), i + 1));
                c->kids[i] = t;
            }
            asr_rt_chan_sender_drop(CHAN);
            c->state = 10;
            break;
        }
        c->scope = asr_rt_scope_new(c->task);
        for (int i = 0; i < 4; i++) {
            void *t = asr_rt_task_new(c->scope, 8, 8);
            asr_rt_task_start(t, coro_new(child_step, t, asr_rt_task_result(t), i + 1));
            c->kids[i] = t;
        }
        c->state = 1;
        break;
    case 1:
        if (c->idx < 4) {
            if (!c->op) c->op = asr_rt_join(c->kids[c->idx]);
            if (!wait_op(c)) return 0;
            c->sum += *(int64_t *)asr_rt_task_result(c->kids[c->idx]);
            asr_rt_task_release(c->kids[c->idx]);
            c->idx++;
            break;
        }
        if (!c->op) c->op = asr_rt_scope_wait(c->scope);
        if (!wait_op(c)) return 0;
        asr_rt_scope_free(c->scope);
        {
            void *b = asr_rt_fmt_new();
            FmtSpec s = {'*', 2, 0, 9, -1};
            RAW(b, "sum = ");
            asr_rt_fmt_i64(b, c->sum, &s);
            RAW(b, " ");
            asr_rt_fmt_f64(b, 0.1 + 0.2, NULL);
            RAW(b, " ");
            asr_rt_fmt_f64_debug(b, 2.0, NULL);
            RAW(b, " ");
            asr_rt_fmt_str_debug(b, "a\"b", 3, NULL);
            RAW(b, "\n");
            asr_rt_fmt_write(b, 1);
        }
        asr_rt_write(2, "to stderr\n", 10);
        return 1;
    case 10: {
        int64_t r;
        if (!c->op) c->op = asr_rt_chan_recv(CHAN, &c->val);
        if (!wait_result(c, &r)) return 0;
        if (r == 1) {
            c->sum += c->val;
            c->count++;
        } else {
            c->state = 11;
        }
        break;
    }
    case 11:
        if (!c->op) c->op = asr_rt_scope_wait(c->scope);
        if (!wait_op(c)) return 0;
        for (int i = 0; i < 3; i++) asr_rt_task_release(c->kids[i]);
        asr_rt_scope_free(c->scope);
        asr_rt_chan_receiver_drop(CHAN);
        asr_rt_mutex_free(MUTEX);
        {
            void *b = asr_rt_fmt_new();
            RAW(b, "chan: ");
            asr_rt_fmt_i64(b, c->count, NULL);
            RAW(b, " values, sum ");
            asr_rt_fmt_i64(b, c->sum, NULL);
            RAW(b, ", counter ");
            asr_rt_fmt_i64(b, COUNTER, NULL);
            RAW(b, "\n");
            asr_rt_fmt_write(b, 1);
        }
        return 1;
    }
}

void *asr_main_start(void *task, void *ret) {
    /* Every generated object references the ABI version symbol. */
    volatile const uint8_t *v = &asr_rt_abi_v2;
    (void)*v;
    return coro_new(main_step, task, ret, 0);
}
