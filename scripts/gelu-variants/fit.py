import numpy as np, math
L = 4*math.sqrt(2)
k = np.float32(2.828)          # w = t·k < 16 at t = L
def T(t): return math.log2(0.5*math.erfc(t/math.sqrt(2)))
def fit(f, lo, hi, deg, n=400):
    # Chebyshev-node least squares, then a few Remez-like reweightings (Lawson)
    x = np.cos(np.pi*(np.arange(n)+0.5)/n)*(hi-lo)/2 + (hi+lo)/2
    y = np.array([f(v) for v in x])
    V = np.vander(x, deg+1, increasing=True)
    w = np.ones(n)
    for it in range(60):
        c, *_ = np.linalg.lstsq(V*w[:,None], y*w, rcond=None)
        err = np.abs(V@c - y)
        w = w*np.sqrt(err/err.max()+1e-12); w/=w.max()
    return c
deg = 4
tables = []
worst = 0
for j in range(16):
    f = lambda v, j=j: T(max(0.0, (j + 0.5 + v)/float(k)))
    c = fit(f, -0.5, 0.5, deg)
    c32 = c.astype(np.float32)
    xs = np.linspace(-0.5, 0.5, 2001)
    ref = np.array([f(v) for v in xs])
    # float32 Horner
    vs = xs.astype(np.float32)
    p = np.full_like(vs, c32[deg])
    for i in range(deg-1, -1, -1):
        p = (p.astype(np.float64)*vs + c32[i]).astype(np.float32)
    e = np.abs(p.astype(np.float64) - ref).max()
    worst = max(worst, e)
    tables.append(c32)
    print(j, "max abs log2 error %.2e" % e, "range", ref.min(), ref.max())
print("worst", worst, "relative in Q ~", worst*math.log(2))
tab = np.array(tables)  # [16, deg+1]
for i in range(deg+1):
    print("c%d:" % i, ", ".join("%.8e" % v for v in tab[:, i]))
def arr(name, vals):
    return "let %s = FloatVector(%s)" % (name, ", ".join("%.9g" % v for v in vals))
with open("tables.swift", "w") as out:
    for i in range(deg+1):
        out.write(arr("tc%d" % i, tab[:, i]) + "\n")
        out.write(arr("tc%d16" % i, tab[:, i]*16) + "\n")
    out.write(arr("expTable", [2**(j/16) for j in range(16)]) + "\n")
