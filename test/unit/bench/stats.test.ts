import { expect } from 'chai';
import { median, medianBy } from '../../../scripts/bench/stats';

describe('bench stats', () => {
  it('takes the middle value of an odd count', () => {
    expect(median([5, 1, 3])).to.equal(3);
  });

  it('averages the middle two of an even count', () => {
    expect(median([4, 1, 3, 2])).to.equal(2.5);
  });

  it('has no median for no values', () => {
    expect(median([])).to.equal(null);
  });

  it('reports the run whose key is the median, not a mix of runs', () => {
    const runs = [{ id: 'a', rate: 700 }, { id: 'b', rate: 900 }, { id: 'c', rate: 800 }];
    expect(medianBy(runs, (r) => r.rate)).to.equal(runs[2]);
  });

  it('picks the lower middle run of an even count', () => {
    const runs = [{ rate: 4 }, { rate: 1 }, { rate: 3 }, { rate: 2 }];
    expect(medianBy(runs, (r) => r.rate)).to.deep.equal({ rate: 2 });
  });

  it('ranks runs without a figure (failed runs) lowest', () => {
    const runs = [{ rate: null }, { rate: 10 }, { rate: 20 }];
    expect(medianBy(runs, (r) => r.rate)).to.deep.equal({ rate: 10 });
    expect(medianBy([], (r: { rate: number }) => r.rate)).to.equal(null);
  });
});
