"""Geometry for server-drawn bar charts (see the ``bar_chart`` template tag)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # percent, 0–100
    target_min: float | None = None
    target_max: float | None = None
    on_target: bool | None = None  # None: no target set

    @property
    def has_target(self) -> bool:
        return self.target_min is not None or self.target_max is not None


@dataclass
class BarChart:
    title: str
    description: str
    bars: list[Bar] = field(default_factory=list)

    # Layout, in SVG user units. The label column is on the reading side; the SVG is mirrored by
    # the template for right-to-left pages, text excepted.
    label_width: int = 180
    plot_width: int = 360
    bar_height: int = 22
    gap: int = 10

    @property
    def height(self) -> int:
        return len(self.bars) * (self.bar_height + self.gap) + self.gap + 20

    @property
    def width(self) -> int:
        return self.label_width + self.plot_width + 60

    def rows(self, *, rtl: bool = False) -> list[dict[str, float | str | bool | None]]:
        """Each bar with its coordinates computed, so the template only places shapes.

        Right-to-left pages get the mirror image: labels on the right, bars growing leftwards.
        """
        width = self.width
        scale = self.plot_width / 100

        def rect_x(x: float, w: float) -> float:
            return width - x - w if rtl else x

        def point_x(x: float) -> float:
            return width - x if rtl else x

        out: list[dict[str, float | str | bool | None]] = []
        for index, bar in enumerate(self.bars):
            y = self.gap + index * (self.bar_height + self.gap)
            low = bar.target_min if bar.target_min is not None else 0.0
            high = bar.target_max if bar.target_max is not None else 100.0
            bar_width = max(bar.value * scale, 1.0)
            target_width = max((high - low) * scale, 2.0)
            out.append(
                {
                    "label": bar.label,
                    "value": bar.value,
                    "y": y,
                    "text_y": y + self.bar_height * 0.7,
                    "label_x": point_x(self.label_width - 8),
                    "label_anchor": "start" if rtl else "end",
                    "bar_x": rect_x(self.label_width, bar_width),
                    "bar_width": bar_width,
                    "value_x": point_x(self.label_width + bar_width + 6),
                    "value_anchor": "end" if rtl else "start",
                    "has_target": bar.has_target,
                    "target_x": rect_x(self.label_width + low * scale, target_width),
                    "target_width": target_width,
                    "on_target": bar.on_target,
                }
            )
        return out

    def axis(self, *, rtl: bool = False) -> list[dict[str, float]]:
        out = []
        for p in (0, 25, 50, 75, 100):
            x = self.label_width + p * self.plot_width / 100
            out.append({"percent": p, "x": self.width - x if rtl else x})
        return out
