import { afterEach, describe, expect, it, vi } from 'vitest';
import { organisationName, organisationNameNow } from './organisations';

const ranking = {
  items: [{ id: 'ttp', names: { en: 'Tehrik-i-Taliban Pakistan', ur: 'تحریک طالبان پاکستان' } }],
};

describe('organisationName', () => {
  afterEach(() => { vi.unstubAllGlobals(); });

  it('asks again after a failed request instead of keeping the failure', async () => {
    const fetch = vi.fn()
      .mockRejectedValueOnce(new TypeError('network down'))
      .mockResolvedValue(new Response(JSON.stringify(ranking), { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    await expect(organisationName('ttp', 'en')).rejects.toThrow('network down');
    expect(organisationNameNow('ttp', 'en')).toBeNull();  // nothing has arrived yet
    await expect(organisationName('ttp', 'ur')).resolves.toBe('تحریک طالبان پاکستان');
    // Once arrived, a view drawn again names it without waiting.
    expect(organisationNameNow('ttp', 'en')).toBe('Tehrik-i-Taliban Pakistan');
    // The ranking is then kept for the page's life.
    await expect(organisationName('nobody', 'en')).resolves.toBeNull();
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});
